import { ApiKeyContract } from "@aidial/testkit"
import { apiKeyStore } from "./apiKeyLayers.js"
import { sqliteTestLayer } from "./sqliteLayer.js"

ApiKeyContract.suite("SQLite", apiKeyStore(sqliteTestLayer()))
