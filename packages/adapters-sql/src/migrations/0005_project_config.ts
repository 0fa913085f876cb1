import { type Kysely, PostgresIntrospector, sql } from "kysely"

// Frozen: once released, this file never changes; later changes are new migrations.

/** Project drafts with their revision, immutable published versions, the live version, client entitlements. */
export const up = async (db: Kysely<any>): Promise<void> => {
  const key = db.introspection instanceof PostgresIntrospector ? sql`text collate "C"` : sql`text`
  const millis = db.introspection instanceof PostgresIntrospector ? "bigint" : "integer"

  await db.schema.alterTable("projects").addColumn("live_version", "integer").execute()

  await db.schema
    .createTable("project_drafts")
    .addColumn("project_id", key, (c) => c.primaryKey())
    .addColumn("revision", "integer", (c) => c.notNull())
    .addColumn("document", "text", (c) => c.notNull())
    .addColumn("updated_at", millis)
    .addColumn("updated_by", "text")
    .addColumn("restored_from", "integer")
    .execute()

  await db.schema
    .createTable("project_versions")
    .addColumn("project_id", key, (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("document", "text", (c) => c.notNull())
    .addColumn("content_hash", "text", (c) => c.notNull())
    .addColumn("revision", "integer", (c) => c.notNull())
    .addColumn("published_at", millis, (c) => c.notNull())
    .addColumn("published_by", "text", (c) => c.notNull())
    .addColumn("note", "text")
    .addPrimaryKeyConstraint("project_versions_pk", ["project_id", "version"])
    .execute()

  await db.schema
    .createTable("client_entitlements")
    .addColumn("client_id", key, (c) => c.primaryKey())
    .addColumn("enabled", "text", (c) => c.notNull())
    .addColumn("updated_at", millis)
    .execute()
}
