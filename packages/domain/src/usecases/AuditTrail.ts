import { Effect, Option } from "effect"
import * as Audit from "../Audit.js"
import type { ClientId, PartnerOrgId } from "../Ids.js"
import type * as Page from "../Page.js"
import * as Policy from "../Policy.js"
import { AuditLog, type AuditFilter } from "../ports/AuditLog.js"
import { ClientRepo } from "../ports/ClientRepo.js"
import { Clock } from "../ports/Clock.js"
import { IdGenerator } from "../ports/IdGenerator.js"
import type { Principal } from "../Principal.js"
import * as Access from "./Access.js"
import * as Traced from "../Traced.js"

/** Who a principal is in the audit trail. */
export const actorOf = (principal: Principal): Audit.Actor => {
  switch (principal._tag) {
    case "ApiKey":
      return { kind: "api_key", id: principal.keyId }
    default:
      return { kind: "user", id: principal.userId }
  }
}

/** What a use case records about a mutation (successful unless `outcome` says otherwise); never a secret. */
export interface Entry {
  readonly action: string
  readonly targetType: string
  readonly targetId: string | null
  readonly clientId: ClientId | null
  readonly partnerOrgId: PartnerOrgId | null
  readonly details?: Record<string, string>
  /** `success` when absent; `denied` or `failure` for a refused or failed request. */
  readonly outcome?: Audit.Outcome
}

/** Appends the audit event of a mutation; call it inside the mutation's transaction. */
export const record = Effect.fnUntraced(function*(actor: Audit.Actor, entry: Entry) {
  const id = yield* (yield* IdGenerator).make("auditEvent")
  const at = yield* (yield* Clock).now
  const { requestId } = yield* Audit.CurrentRequest
  // Every field is typed (ids branded where they were made), so the constructor checks nothing again.
  yield* (yield* AuditLog).append(
    new Audit.AuditEvent({
      id,
      at,
      actor,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      clientId: entry.clientId,
      partnerOrgId: entry.partnerOrgId,
      outcome: entry.outcome ?? "success",
      requestId,
      details: entry.details ?? {}
    }, { disableValidation: true })
  )
}, Traced.span("AuditTrail.record"))

/** Narrows an audit query; each field set must hold. */
export interface Query {
  readonly clientId?: ClientId
  readonly actorId?: string
  readonly action?: string
  /** Inclusive lower bound. */
  readonly from?: Date
  /** Exclusive upper bound. */
  readonly to?: Date
}

const narrowing = (query: Query): AuditFilter => ({
  ...(query.actorId !== undefined ? { actorId: query.actorId } : {}),
  ...(query.action !== undefined ? { action: query.action } : {}),
  ...(query.from !== undefined ? { from: query.from } : {}),
  ...(query.to !== undefined ? { to: query.to } : {})
})

/** The storage filter for the principal's audit scope (`audit.view`), narrowed by the query. */
const scopeOf = Effect.fnUntraced(function*(principal: Principal, query: Query) {
  const base = narrowing(query)
  switch (principal._tag) {
    case "PlatformUser": {
      yield* Access.require(principal, "audit.view", Policy.platformTarget, "audit")
      const selected = principal.selectedClientId
      if (selected !== null && query.clientId !== undefined && query.clientId !== selected) {
        return yield* new Policy.NotFound({ resource: "client" })
      }
      const clientId = query.clientId ?? selected ?? undefined
      if (clientId === undefined) return base
      // A selection names a client that exists, like any client id: an unknown one is the usual 404.
      if (Option.isNone(yield* (yield* ClientRepo).get(clientId))) return yield* new Policy.NotFound({ resource: "client" })
      return { ...base, clientId }
    }
    case "PartnerUser": {
      const target = Policy.partnerOrgTarget({ id: principal.partnerOrgId, status: principal.partnerOrgStatus })
      yield* Access.require(principal, "audit.view", target, "audit")
      if (query.clientId === undefined) return { ...base, partnerOrgId: principal.partnerOrgId }
      const client = yield* (yield* ClientRepo).get(query.clientId)
      if (Option.isNone(client)) return yield* new Policy.NotFound({ resource: "client" })
      yield* Access.require(principal, "audit.view", Policy.clientTarget(client.value), "client")
      return { ...base, partnerOrgId: principal.partnerOrgId, clientId: query.clientId }
    }
    default:
      return yield* new Policy.NotFound({ resource: "audit" })
  }
}, Traced.span("AuditTrail.scopeOf"))

/**
 * Audit events in the caller's scope, one page in id order: platform users all (or their selected
 * client's), a partner_admin their organisation's and its clients'.
 */
export const query = Effect.fnUntraced(
  function*(principal: Principal, q: Query, page: Page.PageRequest) {
    const filter = yield* scopeOf(principal, q)
    return yield* (yield* AuditLog).query(filter, page)
  },
  Traced.span("AuditTrail.query")
)
