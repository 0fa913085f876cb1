import { type Kysely, PostgresIntrospector, sql } from "kysely"

// Frozen: once released, this file never changes; later changes are new migrations.

/** The append-only audit trail, indexed for each filter the audit log offers. */
export const up = async (db: Kysely<any>): Promise<void> => {
  const key = db.introspection instanceof PostgresIntrospector ? sql`text collate "C"` : sql`text`
  const millis = db.introspection instanceof PostgresIntrospector ? "bigint" : "integer"

  await db.schema
    .createTable("audit_events")
    .addColumn("id", key, (c) => c.primaryKey())
    .addColumn("at", millis, (c) => c.notNull())
    .addColumn("actor_kind", "text", (c) => c.notNull())
    .addColumn("actor_id", "text")
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("target_type", "text", (c) => c.notNull())
    .addColumn("target_id", "text")
    .addColumn("client_id", key)
    .addColumn("partner_org_id", key)
    .addColumn("outcome", "text", (c) => c.notNull())
    .addColumn("request_id", "text", (c) => c.notNull())
    .addColumn("details", "text", (c) => c.notNull())
    .execute()
  await db.schema.createIndex("audit_events_client_id").on("audit_events").columns(["client_id", "id"]).execute()
  await db.schema.createIndex("audit_events_partner_org_id").on("audit_events").columns(["partner_org_id", "id"])
    .execute()
  await db.schema.createIndex("audit_events_actor_id").on("audit_events").columns(["actor_id", "id"]).execute()
  await db.schema.createIndex("audit_events_action").on("audit_events").columns(["action", "id"]).execute()
  await db.schema.createIndex("audit_events_at").on("audit_events").column("at").execute()
}
