import { Audit, AuditLog, Page } from "@aidial/domain"
import { Effect, Either, Layer, Schema } from "effect"
import type { Selectable } from "kysely"
import type { AuditEventsTable } from "./Database.js"
import * as Limit from "./internal/Limit.js"
import * as Rows from "./internal/Rows.js"
import { KyselyClient } from "./KyselyClient.js"
import * as Prepared from "./internal/Prepared.js"
import * as SqlTransactor from "./SqlTransactor.js"

const decodeAuditEvent = Rows.decode(Audit.AuditEvent, "audit event")

const Details = Schema.parseJson(Schema.Record({ key: Schema.String, value: Schema.String }))
const decodeDetails = Rows.decode(Details, "audit event details")

const toDomain = (row: Selectable<AuditEventsTable>) =>
  Either.flatMap(decodeDetails(row.details), (details) =>
    decodeAuditEvent({
      id: row.id,
      at: new Date(row.at),
      actor: { kind: row.actor_kind, id: row.actor_id },
      action: row.action,
      targetType: row.target_type,
      targetId: row.target_id,
      clientId: row.client_id,
      partnerOrgId: row.partner_org_id,
      outcome: row.outcome,
      requestId: row.request_id,
      details
    }))

/** The event as its row; `details` is a record of strings by its type, so its JSON text needs no encoding schema. */
const toRow = (event: Audit.AuditEvent): AuditEventsTable => ({
  id: event.id,
  at: event.at.getTime(),
  actor_kind: event.actor.kind,
  actor_id: event.actor.id,
  action: event.action,
  target_type: event.targetType,
  target_id: event.targetId,
  client_id: event.clientId,
  partner_org_id: event.partnerOrgId,
  outcome: event.outcome,
  request_id: event.requestId,
  details: JSON.stringify(event.details)
})

/** The audit trail in the append-only `audit_events` table; appends join the open transaction. */
export const layer: Layer.Layer<AuditLog.AuditLog, never, KyselyClient> = Layer.effect(
  AuditLog.AuditLog,
  Effect.map(KyselyClient, (client) => {
    const run = SqlTransactor.runner(client)
    const write = Prepared.writer(client)
    return AuditLog.AuditLog.of({
      append: (event) =>
        Effect.asVoid(write("cannot append audit event", (db, v) => db.insertInto("audit_events").values(v), {
          key: "append",
          values: { ...toRow(event) }
        })),
      query: (filter, page) =>
        run("cannot query audit events", (db) => {
          let query = db.selectFrom("audit_events").selectAll()
          if (filter.clientId !== undefined) query = query.where("client_id", "=", filter.clientId)
          if (filter.partnerOrgId !== undefined) query = query.where("partner_org_id", "=", filter.partnerOrgId)
          if (filter.actorId !== undefined) query = query.where("actor_id", "=", filter.actorId)
          if (filter.action !== undefined) query = query.where("action", "=", filter.action)
          if (filter.from !== undefined) query = query.where("at", ">=", filter.from.getTime())
          if (filter.to !== undefined) query = query.where("at", "<", filter.to.getTime())
          if (page.after !== null) query = query.where("id", ">", page.after)
          return query.orderBy("id").limit(Limit.of(page.limit + 1)).execute()
        }).pipe(
          Effect.flatMap(Rows.decodeAll(toDomain)),
          Effect.map((rows) => Page.fromRows(rows, page.limit))
        )
    })
  })
)
