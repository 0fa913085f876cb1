import { ApiKeyContract } from "@aidial/testkit"
import { apiKeyStore } from "./apiKeyLayers.js"
import { pgTestLayer } from "./pgLayer.js"

ApiKeyContract.suite("PostgreSQL", apiKeyStore(pgTestLayer()))
