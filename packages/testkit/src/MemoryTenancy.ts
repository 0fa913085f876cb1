import { PrincipalRepo, type TenancyRepos } from "@aidial/domain"
import { Layer } from "effect"
import * as MemoryAssignmentRepo from "./MemoryAssignmentRepo.js"
import * as MemoryClientRepo from "./MemoryClientRepo.js"
import * as MemoryMembershipRepo from "./MemoryMembershipRepo.js"
import * as MemoryPartnerOrgRepo from "./MemoryPartnerOrgRepo.js"
import * as MemoryProjectRepo from "./MemoryProjectRepo.js"
import * as MemoryUserRepo from "./MemoryUserRepo.js"

/** Every tenancy repository, in memory. */
export const layerMemory: Layer.Layer<TenancyRepos> = PrincipalRepo.layerFromRepositories.pipe(
  Layer.provideMerge(Layer.mergeAll(
    MemoryPartnerOrgRepo.layerMemory,
    MemoryAssignmentRepo.layerMemory,
    MemoryUserRepo.layerMemory,
    MemoryMembershipRepo.layerMemory,
    MemoryProjectRepo.layerMemory
  )),
  Layer.provideMerge(MemoryClientRepo.layerMemory)
)
