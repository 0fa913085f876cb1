import type { ApiKeyRepo, ApiKeyUsage, Transactor } from "@aidial/domain"
import { Layer } from "effect"
import type * as KyselyClient from "./KyselyClient.js"
import * as SqlApiKeyRepo from "./SqlApiKeyRepo.js"
import * as SqlApiKeyUsage from "./SqlApiKeyUsage.js"

/** The API-key store and its usage counts on one `KyselyClient`, in the transactions of the `Transactor` given. */
export const layer: Layer.Layer<
  ApiKeyRepo.ApiKeyRepo | ApiKeyUsage.ApiKeyUsage,
  never,
  KyselyClient.KyselyClient | Transactor.Transactor
> = Layer
  .merge(SqlApiKeyRepo.layer, SqlApiKeyUsage.layer)
