/**
 * The hot statements: reads run on every request and the statements of the transactions that serve a
 * mutation, compiled by Kysely once per query shape and then run as prepared SQLite statements with each
 * call's values, synchronously. Internal to this package: repositories use it; the package exports none of it.
 *
 * Where a statement runs on SQLite:
 * - in this fiber's transaction: on the writer, the one connection Kysely's driver holds for that
 *   transaction until it commits or rolls back (no other fiber's query runs on it meanwhile);
 * - a read outside a transaction: on the read-only connection (which sees only committed rows, as the root
 *   connection does outside a transaction), or on the writer when there is no reader and the writer holds
 *   no transaction;
 * - otherwise (a write outside a transaction, a read while another fiber's transaction holds the writer of
 *   an in-memory database, or any statement on PostgreSQL): through Kysely, as `SqlTransactor.runner` runs it.
 */
import { BoundedCache, StorageError } from "@aidial/domain"
import type SqliteDatabase from "better-sqlite3"
import { type Context, Effect, type Either } from "effect"
import type { Compilable, Kysely, QueryResult } from "kysely"
import type { Database } from "../Database.js"
import type { KyselyClient } from "../KyselyClient.js"
import { runner } from "../SqlTransactor.js"
import { open } from "./OpenTransaction.js"

/** How many distinct SQL texts (and query shapes) a runner keeps; the oldest goes beyond it. */
const capacity = 256

/** The values a query reads, by name; a list (for `in`) is one value per element. */
export type Values = Readonly<Record<string, unknown>>

/**
 * A hot statement's shape. `key` names everything the SQL text depends on (which filters are present, how
 * many ids a list holds); the query builder may branch on nothing else. `values` are this call's values by
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

/**
 * The values with each one replaced by its marker. A read's builder may branch on which values are `null`
 * (its key says so), so a read's `null` stays `null`; a write's builder does not branch, so its `null`s are
 * markers too and the next call may give a value there.
 */
const markersOf = <V extends Values>(values: V, keepNull: boolean): V => {
  const out: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(values)) {
    out[name] = (value === null && keepNull) || value === undefined
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

type Statement<Row> = SqliteDatabase.Statement<[ReadonlyArray<unknown>], Row>

/** The prepared statement of an SQL text on one connection, prepared on first use. */
type Prepare<Row> = (sql: string) => Statement<Row>

const statementsOf = <Row>(connection: SqliteDatabase.Database): Prepare<Row> => {
  const statements = BoundedCache.make<string, Statement<Row>>(capacity)
  return (sql) => statements.get(sql) ?? statements.set(sql, connection.prepare<[ReadonlyArray<unknown>], Row>(sql))
}

/** One client's SQLite connections, as a runner of one kind of statement sees them. */
interface Connections<Row> {
  readonly writer: Prepare<Row>
  readonly reader: Prepare<Row> | null
  /** Whether some transaction holds the writer now. */
  readonly writerBusy: () => boolean
}

/**
 * How one client runs hot statements of one kind: `direct` picks the connection to run a statement on
 * synchronously (`null`: through Kysely), `step` runs its prepared statement, `viaKysely` reads Kysely's result.
 */
interface Options<Row, Out> {
  readonly keepNull: boolean
  readonly direct: (connections: Connections<Row>, inTransaction: boolean) => Prepare<Row> | null
  readonly step: (statement: Statement<Row>, parameters: ReadonlyArray<unknown>) => Out
  readonly viaKysely: (result: QueryResult<Row>) => Out
}

/**
 * Runs one hot statement: its result, or with `decode` what the result decodes to, decoded in the same
 * step as the statement ran (a read on every request pays for no step in between).
 */
export interface Runner<Row, Out> {
  <V extends Values>(
    message: string,
    query: (db: Kysely<Database>, values: V) => Compilable<Row>,
    shape: Shape<V>
  ): Effect.Effect<Out, StorageError.StorageError>
  <V extends Values, A>(
    message: string,
    query: (db: Kysely<Database>, values: V) => Compilable<Row>,
    shape: Shape<V>,
    decode: (out: Out) => Either.Either<A, StorageError.StorageError>
  ): Effect.Effect<A, StorageError.StorageError>
}

const make = <Row, Out>(client: Context.Tag.Service<KyselyClient>, options: Options<Row, Out>): Runner<Row, Out> => {
  const run = runner(client)
  const sqlite = client.sqlite
  const connections: Connections<Row> | null = sqlite === null ? null : {
    writer: statementsOf(sqlite.writer),
    reader: sqlite.reader === null ? null : statementsOf(sqlite.reader),
    writerBusy: () => sqlite.writer.inTransaction
  }
  const shapes = BoundedCache.make<string, { readonly sql: string; readonly sources: ReadonlyArray<Source> }>(capacity)
  const runOne = <V extends Values>(
    message: string,
    query: (db: Kysely<Database>, values: V) => Compilable<Row>,
    shape: Shape<V>,
    decode?: (out: Out) => Either.Either<unknown, StorageError.StorageError>
  ): Effect.Effect<unknown, StorageError.StorageError> =>
    Effect.withFiberRuntime((fiber) => {
      const prepare = connections === null ? null : options.direct(connections, fiber.getFiberRef(open) !== null)
      if (prepare === null) {
        const result = run(message, (db) => db.executeQuery(query(db, shape.values)).then(options.viaKysely))
        return decode === undefined ? result : Effect.flatMap(result, decode)
      }
      // Run here, on the fiber's own step: a statement on the connection is synchronous.
      let out: Out
      try {
        let known = shapes.get(shape.key)
        if (known === undefined) {
          const compiled = query(client.db, markersOf(shape.values, options.keepNull)).compile()
          known = shapes.set(shape.key, { sql: compiled.sql, sources: compiled.parameters.map(sourceOf) })
        }
        out = options.step(prepare(known.sql), parametersOf(known.sources, shape.values))
      } catch (error) {
        return Effect.fail(StorageError.StorageError.refail(message)(error))
      }
      return decode === undefined ? Effect.succeed(out) : decode(out)
    })
  // The two call signatures are one function: without `decode` its result is the statement's own.
  return runOne as Runner<Row, Out>
}

/** A runner for one client's hot `SELECT`s returning `Row`s. */
export const selector = <Row>(client: Context.Tag.Service<KyselyClient>) =>
  make<Row, ReadonlyArray<Row>>(client, {
    keepNull: true,
    direct: (connections, inTransaction) =>
      inTransaction ? connections.writer : connections.reader ?? (connections.writerBusy() ? null : connections.writer),
    step: (statement, parameters) => statement.all(parameters),
    viaKysely: (result) => result.rows
  })

/**
 * A runner for one client's hot `INSERT`s, `UPDATE`s and `DELETE`s, giving how many rows each changed (an
 * insert that does nothing on conflict changed none). The builder may not branch on any value: `null`s are
 * parameters too.
 */
export const writer = (client: Context.Tag.Service<KyselyClient>) =>
  make<unknown, number>(client, {
    keepNull: false,
    direct: (connections, inTransaction) => (inTransaction ? connections.writer : null),
    step: (statement, parameters) => statement.run(parameters).changes,
    viaKysely: (result) => Number(result.numAffectedRows ?? 0n)
  })
