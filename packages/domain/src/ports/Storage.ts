import type { ApiKeyRepo } from "./ApiKeyRepo.js"
import type { ApiKeyUsage } from "./ApiKeyUsage.js"
import type { AuditLog } from "./AuditLog.js"
import type { InvitationRepo } from "./InvitationRepo.js"
import type { MemberActivity } from "./MemberActivity.js"
import type { Outbox } from "./Outbox.js"
import type { ProjectConfigRepos } from "./ProjectConfigRepos.js"
import type { TenancyRepos } from "./TenancyRepos.js"
import type { Transactor } from "./Transactor.js"

/**
 * Every storage port, written once: what a storage adapter provides (memory, SQLite, PostgreSQL) and
 * what the use cases may read and write. A new feature's repository joins this list.
 */
export type Storage =
  | TenancyRepos
  | ProjectConfigRepos
  | InvitationRepo
  | Outbox
  | MemberActivity
  | AuditLog
  | ApiKeyRepo
  | ApiKeyUsage
  | Transactor
