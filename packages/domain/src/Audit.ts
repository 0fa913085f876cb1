import { Context, Schema } from "effect"
import { ClientId, PartnerOrgId } from "./Ids.js"

/** Who did it: a user, an API key, or the system itself. */
export const Actor = Schema.Struct({
  kind: Schema.Literal("user", "api_key", "system", "anonymous"),
  id: Schema.NullOr(Schema.String)
})
export type Actor = typeof Actor.Type

export const Outcome = Schema.Literal("success", "denied", "failure")
export type Outcome = typeof Outcome.Type

/**
 * One append-only record of a mutation or a sensitive read. `details` holds short, non-secret
 * strings only: a secret never reaches an audit event.
 */
export class AuditEvent extends Schema.Class<AuditEvent>("AuditEvent")({
  id: Schema.String,
  at: Schema.DateFromSelf,
  actor: Actor,
  action: Schema.String,
  targetType: Schema.String,
  targetId: Schema.NullOr(Schema.String),
  clientId: Schema.NullOr(ClientId),
  partnerOrgId: Schema.NullOr(PartnerOrgId),
  outcome: Outcome,
  requestId: Schema.String,
  details: Schema.Record({ key: Schema.String, value: Schema.String })
}) {}

/** The request a use case runs for: its id goes into every audit event. */
export class CurrentRequest extends Context.Tag("@aidial/domain/CurrentRequest")<CurrentRequest, {
  readonly requestId: string
}>() {}
