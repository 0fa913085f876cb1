import type { TenancyRepos } from "@aidial/domain"
import { Layer } from "effect"
import type * as KyselyClient from "./KyselyClient.js"
import * as SqlAssignmentRepo from "./SqlAssignmentRepo.js"
import * as SqlClientRepo from "./SqlClientRepo.js"
import * as SqlMembershipRepo from "./SqlMembershipRepo.js"
import * as SqlPartnerOrgRepo from "./SqlPartnerOrgRepo.js"
import * as SqlPrincipalRepo from "./SqlPrincipalRepo.js"
import * as SqlProjectRepo from "./SqlProjectRepo.js"
import * as SqlUserRepo from "./SqlUserRepo.js"

/** Every tenancy repository on one `KyselyClient`. */
export const layer: Layer.Layer<TenancyRepos, never, KyselyClient.KyselyClient> = Layer.mergeAll(
  SqlPartnerOrgRepo.layer,
  SqlClientRepo.layer,
  SqlAssignmentRepo.layer,
  SqlUserRepo.layer,
  SqlMembershipRepo.layer,
  SqlPrincipalRepo.layer,
  SqlProjectRepo.layer
)
