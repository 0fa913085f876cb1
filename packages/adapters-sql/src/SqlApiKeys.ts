import type { ApiKeyRepo, ApiKeyUsage } from "@aidial/domain"
import { Layer } from "effect"
import type * as KyselyClient from "./KyselyClient.js"
import * as SqlApiKeyRepo from "./SqlApiKeyRepo.js"
import * as SqlApiKeyUsage from "./SqlApiKeyUsage.js"

/** The API-key store and its usage counts on one `KyselyClient`. */
export const layer: Layer.Layer<ApiKeyRepo.ApiKeyRepo | ApiKeyUsage.ApiKeyUsage, never, KyselyClient.KyselyClient> = Layer
  .merge(SqlApiKeyRepo.layer, SqlApiKeyUsage.layer)
