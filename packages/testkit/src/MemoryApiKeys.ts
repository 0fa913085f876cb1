import type { ApiKeyRepo, ApiKeyUsage, ClientRepo } from "@aidial/domain"
import { Layer } from "effect"
import * as MemoryApiKeyRepo from "./MemoryApiKeyRepo.js"
import * as MemoryApiKeyUsage from "./MemoryApiKeyUsage.js"

/** The API-key store and its usage counts, in memory, over the `ClientRepo` given. */
export const layerMemory: Layer.Layer<
  ApiKeyRepo.ApiKeyRepo | ApiKeyUsage.ApiKeyUsage | MemoryApiKeyRepo.StoredRows,
  never,
  ClientRepo.ClientRepo
> = Layer.merge(MemoryApiKeyRepo.layerMemory, MemoryApiKeyUsage.layerMemory)
