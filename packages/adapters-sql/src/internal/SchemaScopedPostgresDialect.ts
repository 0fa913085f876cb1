/**
 * Kysely's PostgreSQL dialect with table introspection limited to the connection's current schema.
 * Kysely's own introspector reads every schema of the database and checks `has_schema_privilege` on
 * each by name, so a schema dropped by another session while it runs fails the query ("schema ... does
 * not exist"); the migrator introspects on every run, so migrating one schema could fail because an
 * unrelated one was dropped at that moment. Only the current schema's tables are needed here (the
 * migrator looks for its own tables in the schema it migrates).
 */
import type { DatabaseIntrospector, DatabaseMetadataOptions, Kysely, TableMetadata } from "kysely"
import { DEFAULT_MIGRATION_LOCK_TABLE, DEFAULT_MIGRATION_TABLE, PostgresDialect, PostgresIntrospector, sql } from "kysely"

interface ColumnRow {
  readonly table: string
  readonly schema: string
  readonly is_view: boolean
  readonly column: string
  readonly type: string
  readonly type_schema: string
  readonly not_null: boolean
  readonly has_default: boolean
  readonly auto_incrementing: boolean
}

const internalTables: ReadonlySet<string> = new Set([DEFAULT_MIGRATION_TABLE, DEFAULT_MIGRATION_LOCK_TABLE])

class SchemaScopedIntrospector extends PostgresIntrospector {
  readonly #db: Kysely<unknown>

  constructor(db: Kysely<unknown>) {
    super(db)
    this.#db = db
  }

  override async getTables(options?: DatabaseMetadataOptions): Promise<Array<TableMetadata>> {
    const { rows } = await sql<ColumnRow>`
      select c.relname as "table", ns.nspname as "schema", c.relkind = 'v' as "is_view",
             a.attname as "column", typ.typname as "type", tns.nspname as "type_schema",
             a.attnotnull as "not_null", a.atthasdef as "has_default",
             pg_get_serial_sequence(quote_ident(ns.nspname) || '.' || quote_ident(c.relname), a.attname) is not null
               as "auto_incrementing"
      from pg_catalog.pg_class c
      join pg_catalog.pg_namespace ns on ns.oid = c.relnamespace
      join pg_catalog.pg_attribute a on a.attrelid = c.oid
      join pg_catalog.pg_type typ on typ.oid = a.atttypid
      join pg_catalog.pg_namespace tns on tns.oid = typ.typnamespace
      where ns.nspname = current_schema() and c.relkind in ('r', 'v', 'p') and a.attnum > 0 and not a.attisdropped
      order by c.relname, a.attnum`.execute(this.#db)
    const tables = new Map<string, { name: string; schema: string; isView: boolean; columns: TableMetadata["columns"] }>()
    for (const row of rows) {
      if (options?.withInternalKyselyTables !== true && internalTables.has(row.table)) continue
      const table = tables.get(row.table) ?? { name: row.table, schema: row.schema, isView: row.is_view, columns: [] }
      tables.set(row.table, table)
      table.columns.push({
        name: row.column,
        dataType: row.type,
        dataTypeSchema: row.type_schema,
        isNullable: !row.not_null,
        hasDefaultValue: row.has_default,
        isAutoIncrementing: row.auto_incrementing
      })
    }
    return [...tables.values()]
  }
}

export class SchemaScopedPostgresDialect extends PostgresDialect {
  override createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SchemaScopedIntrospector(db)
  }
}
