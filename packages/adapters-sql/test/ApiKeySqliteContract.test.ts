import { ApiKeyContract } from "@aidial/testkit"
import { apiKeyStore } from "./apiKeyLayers.js"
import { sqliteFileTestLayer, sqliteTestLayer } from "./sqliteLayer.js"

ApiKeyContract.suite("SQLite", apiKeyStore(sqliteTestLayer()))
ApiKeyContract.suite("SQLite file", apiKeyStore(sqliteFileTestLayer()))
