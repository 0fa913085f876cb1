import { MemoryProjectConfig, MemoryTenancy, MemoryTransactor, ProjectConfigContract } from "@aidial/testkit"
import { Layer } from "effect"

ProjectConfigContract.suite(
  "memory",
  Layer.mergeAll(MemoryTenancy.layerMemory, MemoryProjectConfig.layerMemory, MemoryTransactor.layerMemory)
)
