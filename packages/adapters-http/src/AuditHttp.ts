/** Handlers for `AuditApi`: the `AuditTrail.query` use case over HTTP. */
import { HttpApiBuilder } from "@effect/platform"
import { type Audit, AuditTrail } from "@aidial/domain"
import { Effect } from "effect"
import { Api, type Group } from "./Api.js"
import type * as AuditApi from "./AuditApi.js"
import { CurrentPrincipal } from "./Authentication.js"
import * as Cursor from "./Cursor.js"
import * as Problem from "./Problem.js"

/** A domain detail key (`userId`) in the API's own spelling (`user_id`). */
const snakeCase = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)

/** The JSON form of an audit event; `details` keys in snake_case like every other field of the API. */
export const auditEvent = (e: Audit.AuditEvent): typeof AuditApi.AuditEvent.Type => ({
  event_id: e.id,
  at: e.at.toISOString(),
  actor: e.actor,
  action: e.action,
  target_type: e.targetType,
  target_id: e.targetId,
  client_id: e.clientId,
  partner_org_id: e.partnerOrgId,
  outcome: e.outcome,
  request_id: e.requestId,
  details: Object.fromEntries(Object.entries(e.details).map(([key, value]) => [snakeCase(key), value]))
})

/** The audit handlers. */
export const layer: Group<"audit"> = HttpApiBuilder.group(Api, "audit", (handlers) =>
  handlers.handle("list", ({ urlParams }) =>
    CurrentPrincipal.pipe(
      Effect.flatMap((principal) =>
        AuditTrail.query(
          principal,
          {
            ...(urlParams.client_id !== undefined ? { clientId: urlParams.client_id } : {}),
            ...(urlParams.actor_id !== undefined ? { actorId: urlParams.actor_id } : {}),
            ...(urlParams.action !== undefined ? { action: urlParams.action } : {}),
            ...(urlParams.from !== undefined ? { from: urlParams.from } : {}),
            ...(urlParams.to !== undefined ? { to: urlParams.to } : {})
          },
          Cursor.pageRequest(urlParams)
        )
      ),
      Effect.map((page) => ({ events: page.items.map(auditEvent), next_cursor: Cursor.next(page) })),
      Problem.refail
    )))
