import { NodeSecrets } from "@aidial/adapters-node"
import { Layer, Redacted } from "effect"
import { describe, it } from "vitest"
import {
  ApiKeyModel,
  MemoryApiKeyRepo,
  MemoryApiKeyUsage,
  MemoryAuditLog,
  MemoryClientRepo,
  MemoryTransactor,
  SequentialIds
} from "../src/index.js"

const memory = Layer.mergeAll(
  MemoryApiKeyRepo.layerMemory,
  MemoryApiKeyUsage.layerMemory,
  MemoryAuditLog.layerMemory,
  MemoryTransactor.layerMemory,
  SequentialIds.layer,
  NodeSecrets.layer({ pepper: Redacted.make("test-pepper") })
).pipe(Layer.provideMerge(MemoryClientRepo.layerMemory))

describe("the API-key model on memory", () => {
  it("agrees with the model: revoked, rotated, expired and archived-client keys never verify, usable ones do, no plaintext leaks", () =>
    ApiKeyModel.check(memory, { numRuns: 150 }))
})
