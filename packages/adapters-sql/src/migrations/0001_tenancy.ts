import { type Kysely, PostgresIntrospector, sql } from "kysely"

// Frozen: once released, this file never changes; later changes are new migrations.

/** Partner organisations, clients, users, memberships, assignments and projects. */
export const up = async (db: Kysely<any>): Promise<void> => {
  // Byte-order comparison for ids, so keyset pages follow JavaScript string order on both databases.
  const key = db.introspection instanceof PostgresIntrospector ? sql`text collate "C"` : sql`text`
  const millis = db.introspection instanceof PostgresIntrospector ? "bigint" : "integer"

  await db.schema
    .createTable("partner_orgs")
    .addColumn("id", key, (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("created_at", millis, (c) => c.notNull())
    .execute()

  await db.schema
    .createTable("clients")
    .addColumn("id", key, (c) => c.primaryKey())
    .addColumn("partner_org_id", key)
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("created_at", millis, (c) => c.notNull())
    .execute()
  await db.schema.createIndex("clients_partner_org_id").on("clients").columns(["partner_org_id", "id"]).execute()

  await db.schema
    .createTable("users")
    .addColumn("id", key, (c) => c.primaryKey())
    .addColumn("subject", "text", (c) => c.notNull().unique())
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("email_verified", "integer", (c) => c.notNull())
    .addColumn("display_name", "text", (c) => c.notNull())
    .addColumn("created_at", millis, (c) => c.notNull())
    .execute()
  await db.schema.createIndex("users_email").on("users").columns(["email", "id"]).execute()

  await db.schema
    .createTable("memberships")
    .addColumn("user_id", key, (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("partner_org_id", key)
    .addColumn("client_id", key)
    .execute()
  await db.schema.createIndex("memberships_partner_org_id").on("memberships").columns(["partner_org_id", "user_id"])
    .execute()
  await db.schema.createIndex("memberships_client_id").on("memberships").column("client_id").execute()

  await db.schema
    .createTable("assignments")
    .addColumn("user_id", key, (c) => c.notNull())
    .addColumn("client_id", key, (c) => c.notNull())
    .addColumn("created_at", millis, (c) => c.notNull())
    .addPrimaryKeyConstraint("assignments_pk", ["user_id", "client_id"])
    .execute()
  await db.schema.createIndex("assignments_client_id").on("assignments").columns(["client_id", "user_id"]).execute()

  await db.schema
    .createTable("projects")
    .addColumn("id", key, (c) => c.primaryKey())
    .addColumn("client_id", key, (c) => c.notNull())
    .addColumn("environment", "text", (c) => c.notNull())
    .addColumn("display_name", "text", (c) => c.notNull())
    .addColumn("timezone", "text", (c) => c.notNull())
    .addColumn("is_active", "integer", (c) => c.notNull())
    .addColumn("created_at", millis, (c) => c.notNull())
    .execute()
  await db.schema.createIndex("projects_client_id").on("projects").columns(["client_id", "id"]).execute()
}
