import type { DraftRepo } from "./DraftRepo.js"
import type { EntitlementRepo } from "./EntitlementRepo.js"
import type { VersionRepo } from "./VersionRepo.js"

/** Every project-configuration repository: what a storage adapter provides for SPEC section 7. */
export type ProjectConfigRepos = DraftRepo | VersionRepo | EntitlementRepo
