import type { ProjectConfigRepos } from "@aidial/domain"
import { Layer } from "effect"
import * as MemoryDraftRepo from "./MemoryDraftRepo.js"
import * as MemoryEntitlementRepo from "./MemoryEntitlementRepo.js"
import * as MemoryVersionRepo from "./MemoryVersionRepo.js"

/** Every project-configuration repository, in memory. */
export const layerMemory: Layer.Layer<ProjectConfigRepos> = Layer.mergeAll(
  MemoryDraftRepo.layerMemory,
  MemoryVersionRepo.layerMemory,
  MemoryEntitlementRepo.layerMemory
)
