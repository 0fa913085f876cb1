/**
 * The hot reads: `SELECT`s run on every request, compiled by Kysely once per query shape and then run as
 * prepared SQLite statements with each call's values. Internal to this package: repositories use it; the
 * package exports none of it.
 */
import { BoundedCache, StorageError } from "@aidial/domain"
import type SqliteDatabase from "better-sqlite3"
import { type Context, Effect } from "effect"
import type { Compilable, Kysely } from "kysely"
import type { Database } from "../Database.js"
import type { KyselyClient } from "../KyselyClient.js"
import { runner } from "../SqlTransactor.js"
import { open } from "./OpenTransaction.js"

/** How many distinct SQL texts (and query shapes) a selector keeps; the oldest goes beyond it. */
const capacity = 256

/** The values a query reads, by name; a list (for `in`) is one value per element. */
export type Values = Readonly<Record<string, unknown>>

/**
 * A hot read's shape. `key` names everything the SQL text depends on (which filters are present, how many
 * ids a list holds); the query builder may branch on nothing else. `values` are this call's values by
 * name: the builder reads them from its second argument, never from its closure.
 */
export interface Shape<V extends Values> {
  readonly key: string
  readonly values: V
}

/** Where a compiled parameter comes from: a named value (an element of it, for a list), or a constant of the query. */
type Source =
  | { readonly _tag: "Value"; readonly name: string; readonly index: number | null }
  | { readonly _tag: "Constant"; readonly value: unknown }

/** A stand-in for one value while a shape is compiled the first time, found again among the compiled parameters. */
class Marker {
  constructor(readonly name: string, readonly index: number | null) {}
}

const markersOf = <V extends Values>(values: V): V => {
  const out: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(values)) {
    out[name] = value === null || value === undefined
      ? value
      : Array.isArray(value)
      ? value.map((_, i) => new Marker(name, i))
      : new Marker(name, null)
  }
  return { ...values, ...out }
}

const sourceOf = (parameter: unknown): Source =>
  parameter instanceof Marker
    ? { _tag: "Value", name: parameter.name, index: parameter.index }
    : { _tag: "Constant", value: parameter }

const parametersOf = (sources: ReadonlyArray<Source>, values: Values): Array<unknown> =>
  sources.map((source) => {
    if (source._tag === "Constant") return source.value
    const value = values[source.name]
    return source.index === null ? value : Array.isArray(value) ? value[source.index] : undefined
  })

/**
 * A runner for one client's hot `SELECT`s returning `Row`s. On SQLite outside a transaction the query runs
 * synchronously on the read-only connection (which sees only committed rows, as the root connection does
 * outside a transaction), or on the writer when there is no reader and the writer holds no transaction:
 * the first call of a shape builds the query with stand-ins for its values and compiles it, which gives the
 * SQL text and where each parameter comes from; every later call of the shape runs that text's prepared
 * statement with its own values, without building the query. In a transaction, on PostgreSQL, or while the
 * writer holds a transaction, it runs through Kysely as `SqlTransactor.runner` does. Either way a driver
 * failure becomes a `StorageError` carrying `message`.
 */
export const selector = <Row>(client: Context.Tag.Service<KyselyClient>) => {
  const run = runner(client)
  const sqlite = client.sqlite
  const statements = BoundedCache.make<string, SqliteDatabase.Statement<[ReadonlyArray<unknown>], Row>>(capacity)
  const shapes = BoundedCache.make<string, { readonly sql: string; readonly sources: ReadonlyArray<Source> }>(capacity)
  const prepare = (connection: SqliteDatabase.Database, sql: string) =>
    statements.get(sql) ?? statements.set(sql, connection.prepare<[ReadonlyArray<unknown>], Row>(sql))
  return <V extends Values>(
    message: string,
    query: (db: Kysely<Database>, values: V) => Compilable<Row>,
    shape: Shape<V>
  ): Effect.Effect<ReadonlyArray<Row>, StorageError.StorageError> =>
    Effect.withFiberRuntime((fiber) => {
      const trx = fiber.getFiberRef(open)
      if (trx !== null || sqlite === null || (sqlite.reader === null && sqlite.writer.inTransaction)) {
        return run(message, (db) => db.executeQuery(query(db, shape.values)).then((result) => result.rows))
      }
      const connection = sqlite.reader ?? sqlite.writer
      return Effect.try({
        try: () => {
          let known = shapes.get(shape.key)
          if (known === undefined) {
            const compiled = query(client.db, markersOf(shape.values)).compile()
            known = shapes.set(shape.key, { sql: compiled.sql, sources: compiled.parameters.map(sourceOf) })
          }
          return prepare(connection, known.sql).all(parametersOf(known.sources, shape.values))
        },
        catch: StorageError.StorageError.refail(message)
      })
    })
}
