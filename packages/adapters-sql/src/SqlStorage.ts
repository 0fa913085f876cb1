import type { AuditLog, ProjectConfigRepos, TenancyRepos, Transactor } from "@aidial/domain"
import { Layer } from "effect"
import type * as KyselyClient from "./KyselyClient.js"
import * as SqlAssignmentRepo from "./SqlAssignmentRepo.js"
import * as SqlAuditLog from "./SqlAuditLog.js"
import * as SqlClientRepo from "./SqlClientRepo.js"
import * as SqlMembershipRepo from "./SqlMembershipRepo.js"
import * as SqlPartnerOrgRepo from "./SqlPartnerOrgRepo.js"
import * as SqlProjectConfig from "./SqlProjectConfig.js"
import * as SqlProjectRepo from "./SqlProjectRepo.js"
import * as SqlTransactor from "./SqlTransactor.js"
import * as SqlUserRepo from "./SqlUserRepo.js"

/** Every tenancy and project-configuration repository, the transactor and the audit log on one `KyselyClient`. */
export const layer: Layer.Layer<
  TenancyRepos | ProjectConfigRepos | Transactor.Transactor | AuditLog.AuditLog,
  never,
  KyselyClient.KyselyClient
> =
  Layer.mergeAll(
    SqlPartnerOrgRepo.layer,
    SqlClientRepo.layer,
    SqlAssignmentRepo.layer,
    SqlUserRepo.layer,
    SqlMembershipRepo.layer,
    SqlProjectRepo.layer,
    SqlProjectConfig.layer,
    SqlAuditLog.layer,
    SqlTransactor.layer
  )
