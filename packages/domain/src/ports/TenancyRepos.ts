import type { AssignmentRepo } from "./AssignmentRepo.js"
import type { ClientRepo } from "./ClientRepo.js"
import type { MembershipRepo } from "./MembershipRepo.js"
import type { PartnerOrgRepo } from "./PartnerOrgRepo.js"
import type { PrincipalRepo } from "./PrincipalRepo.js"
import type { ProjectRepo } from "./ProjectRepo.js"
import type { UserRepo } from "./UserRepo.js"

/** Every tenancy repository: what a storage adapter provides for SPEC sections 2 and 3. */
export type TenancyRepos =
  | PartnerOrgRepo
  | ClientRepo
  | AssignmentRepo
  | UserRepo
  | MembershipRepo
  | PrincipalRepo
  | ProjectRepo
