import { Context, type Effect } from "effect"
import type { AuditEvent } from "../Audit.js"
import type { ClientId, PartnerOrgId } from "../Ids.js"
import type { Page, PageRequest } from "../Page.js"
import type { StorageError } from "../StorageError.js"

/** Narrows a query; every field set must hold. */
export interface AuditFilter {
  readonly clientId?: ClientId
  /** Events of this partner organisation or of any of its clients. */
  readonly partnerOrgId?: PartnerOrgId
  readonly actorId?: string
  readonly action?: string
  /** Inclusive lower bound. */
  readonly from?: Date
  /** Exclusive upper bound. */
  readonly to?: Date
}

/** The append-only audit trail: there is no update and no delete. */
export class AuditLog extends Context.Tag("@aidial/domain/AuditLog")<AuditLog, {
  /** Appends one event (inside the caller's transaction when there is one). */
  readonly append: (event: AuditEvent) => Effect.Effect<void, StorageError>
  /** Events matching the filter, in id order. */
  readonly query: (filter: AuditFilter, page: PageRequest) => Effect.Effect<Page<AuditEvent>, StorageError>
}>() {}
