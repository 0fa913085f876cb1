import { Layer } from "effect"
import { ApiKeyContract, MemoryApiKeyRepo, MemoryApiKeyUsage, MemoryClientRepo, MemoryTransactor } from "../src/index.js"

ApiKeyContract.suite(
  "memory",
  Layer.mergeAll(
    MemoryApiKeyRepo.layerMemory.pipe(Layer.provideMerge(MemoryClientRepo.layerMemory)),
    MemoryApiKeyUsage.layerMemory,
    MemoryTransactor.layerMemory
  )
)
