/** Endpoint declarations for the audit trail (handlers in `AuditHttp`): read only, bearer only, `audit.view`. */
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { Audit, type AuditTrail, Ids } from "@aidial/domain"
import { Schema } from "effect"
import * as Authentication from "./Authentication.js"
import * as Cursor from "./Cursor.js"
import * as Example from "./Example.js"
import * as Failures from "./Failures.js"
import * as IsoDateTime from "./IsoDateTime.js"
import * as RequestContext from "./RequestContext.js"
import * as Security from "./Security.js"

/** One audit event; `details` never holds a secret. */
export const AuditEvent = Schema.Struct({
  event_id: Schema.String,
  at: Schema.String,
  actor: Audit.Actor,
  action: Schema.String,
  target_type: Schema.String,
  target_id: Schema.NullOr(Schema.String),
  client_id: Schema.NullOr(Schema.String),
  partner_org_id: Schema.NullOr(Schema.String),
  outcome: Audit.Outcome,
  request_id: Schema.String,
  details: Schema.Record({ key: Schema.String, value: Schema.String })
}).annotations({ identifier: "AuditEvent" })

/** One page of audit events. */
export const AuditEventList = Example.wire(Cursor.page({ events: Schema.Array(AuditEvent) }).annotations({ identifier: "AuditEventList" }), {
  events: [{
    event_id: "aud_01",
    at: "2026-02-01T10:00:00.000Z",
    actor: { kind: "user", id: "usr_nina" },
    action: "team.invite",
    target_type: "invitation",
    target_id: "inv_7Qm2",
    client_id: null,
    partner_org_id: "org_acme",
    outcome: "success",
    request_id: "req_5f2c",
    details: { role: "partner_user" }
  }],
  next_cursor: null
})

const Instant = IsoDateTime.DateTime

/** The audit endpoint: there is no route that updates or deletes an event. */
export const group = HttpApiGroup.make("audit")
  .add(
    HttpApiEndpoint.get("list", "/audit-events")
      .setUrlParams(Schema.Struct({
        ...Cursor.PageParams,
        client_id: Schema.optional(Ids.ClientId.annotations({ description: "Events of this client (platform users: also the client selection)." })),
        actor_id: Schema.optional(Schema.String.pipe(Schema.maxLength(64))),
        action: Schema.optional(Schema.String.pipe(Schema.maxLength(64))),
        from: Schema.optional(Instant.annotations({ description: "Inclusive lower bound (ISO 8601)." })),
        to: Schema.optional(Instant.annotations({ description: "Exclusive upper bound (ISO 8601)." }))
      }))
      .addSuccess(AuditEventList)
      .addError(Failures.of<typeof AuditTrail.query>()("Forbidden", "NotFound", "StorageError"))
      .annotate(OpenApi.Summary, "Audit events in the caller's scope, in id order")
  )
  .middleware(Authentication.Authentication)
  .annotate(OpenApi.Title, "Audit trail")
  .annotate(OpenApi.Description, "Every mutation and refused key, read only, filtered by client, actor, action and time. Bearer tokens only.")
  .annotateEndpointsContext(Security.bearerOnly)
