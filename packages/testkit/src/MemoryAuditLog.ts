import { AuditLog, type Audit } from "@aidial/domain"
import { Effect, Layer } from "effect"
import * as Journal from "./internal/Journal.js"
import { pageOf } from "./internal/pageOf.js"

/** The audit trail in memory; appends take part in memory transactions. */
export const layerMemory: Layer.Layer<AuditLog.AuditLog, never, never> = Layer.effect(
  AuditLog.AuditLog,
  Effect.sync(() => {
    const events = new Map<string, Audit.AuditEvent>()
    const matches = (f: AuditLog.AuditFilter) => (e: Audit.AuditEvent): boolean =>
      (f.clientId === undefined || e.clientId === f.clientId) &&
      (f.partnerOrgId === undefined || e.partnerOrgId === f.partnerOrgId) &&
      (f.actorId === undefined || e.actor.id === f.actorId) &&
      (f.action === undefined || e.action === f.action) &&
      (f.from === undefined || e.at.getTime() >= f.from.getTime()) &&
      (f.to === undefined || e.at.getTime() < f.to.getTime())
    return AuditLog.AuditLog.of({
      append: (event) => Journal.set(events, event.id, event),
      query: (filter, page) => Effect.sync(() => pageOf(events.values(), matches(filter), page))
    })
  })
)
