import { type Kysely, PostgresIntrospector, sql } from "kysely"

// Frozen: once released, this file never changes; later changes are new migrations.

/** Invitations to partner organisations, the transactional outbox and members' last-active times. */
export const up = async (db: Kysely<any>): Promise<void> => {
  const key = db.introspection instanceof PostgresIntrospector ? sql`text collate "C"` : sql`text`
  const millis = db.introspection instanceof PostgresIntrospector ? "bigint" : "integer"

  await db.schema
    .createTable("invitations")
    .addColumn("id", key, (c) => c.primaryKey())
    .addColumn("partner_org_id", key, (c) => c.notNull())
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("message", "text")
    .addColumn("token_digest_version", "integer", (c) => c.notNull())
    .addColumn("token_digest_hex", "text", (c) => c.notNull())
    .addColumn("invited_by", key)
    .addColumn("created_at", millis, (c) => c.notNull())
    .addColumn("expires_at", millis, (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("accepted_by", key)
    .addColumn("closed_at", millis)
    .execute()
  // At most one pending invitation per (organisation, email); also serves `findPending`.
  await db.schema
    .createIndex("invitations_pending_email")
    .on("invitations")
    .columns(["partner_org_id", "email"])
    .unique()
    .where(sql.ref("status"), "=", sql.lit("pending"))
    .execute()
  await db.schema.createIndex("invitations_partner_org_id").on("invitations").columns(["partner_org_id", "id"]).execute()

  await db.schema
    .createTable("outbox")
    .addColumn("id", key, (c) => c.primaryKey())
    .addColumn("topic", "text", (c) => c.notNull())
    .addColumn("recipient", "text", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("created_at", millis, (c) => c.notNull())
    .execute()

  await db.schema
    .createTable("member_activity")
    .addColumn("user_id", key, (c) => c.primaryKey())
    .addColumn("last_active_at", millis, (c) => c.notNull())
    .execute()
}
