import { type Kysely, PostgresIntrospector, sql } from "kysely"

// Frozen: once released, this file never changes; later changes are new migrations.

/**
 * API keys and their usage.
 *
 * - `api_keys`: one row a key, keyed by the public lookup id (`key_<keyid>`), so verification is one
 *   primary-key read joined with `clients`. Only the versioned digest is stored, never the plaintext.
 *   `api_keys_rotated_from` (unique where not null) allows at most one replacement per key: the second
 *   guard behind the compare-and-swap on `status`.
 * - `api_key_usage`: request counts per key, per UTC minute, per exact status code. Minutes are the
 *   only granularity stored; hours and days are summed on read (at most 1,440 rows a key a day of
 *   traffic), so one flush is one multi-row upsert that adds to `count`.
 * - `api_key_last_use`: the latest use of each key, kept apart from `api_keys` so that usage flushes
 *   never write the rows that verification reads and rotation locks.
 */
export const up = async (db: Kysely<any>): Promise<void> => {
  const key = db.introspection instanceof PostgresIntrospector ? sql`text collate "C"` : sql`text`
  const millis = db.introspection instanceof PostgresIntrospector ? "bigint" : "integer"

  await db.schema
    .createTable("api_keys")
    .addColumn("id", key, (c) => c.primaryKey())
    .addColumn("client_id", key, (c) => c.notNull().references("clients.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("scope", "text", (c) => c.notNull())
    .addColumn("environment", "text", (c) => c.notNull())
    .addColumn("prefix", "text", (c) => c.notNull())
    .addColumn("digest_version", "integer", (c) => c.notNull())
    .addColumn("digest_hex", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("created_at", millis, (c) => c.notNull())
    .addColumn("created_by_kind", "text", (c) => c.notNull())
    .addColumn("created_by_id", "text")
    .addColumn("expires_at", millis)
    .addColumn("rotated_from", key)
    .addColumn("rotated_to", key)
    .addColumn("disabled_at", millis)
    .addColumn("revoked_reason", "text")
    .execute()
  await db.schema.createIndex("api_keys_client_id").on("api_keys").columns(["client_id", "id"]).execute()
  await db.schema
    .createIndex("api_keys_rotated_from")
    .unique()
    .on("api_keys")
    .column("rotated_from")
    .where(sql.ref("rotated_from"), "is not", null)
    .execute()

  await db.schema
    .createTable("api_key_usage")
    .addColumn("key_id", key, (c) => c.notNull())
    .addColumn("minute", millis, (c) => c.notNull())
    .addColumn("status", "integer", (c) => c.notNull())
    .addColumn("count", millis, (c) => c.notNull())
    .addPrimaryKeyConstraint("api_key_usage_pk", ["key_id", "minute", "status"])
    .execute()

  await db.schema
    .createTable("api_key_last_use")
    .addColumn("key_id", key, (c) => c.primaryKey())
    .addColumn("at", millis, (c) => c.notNull())
    .execute()
}
