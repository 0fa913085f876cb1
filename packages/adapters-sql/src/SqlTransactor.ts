import { StorageError, Transactor } from "@aidial/domain"
import type SqliteDatabase from "better-sqlite3"
import { type Context, Effect, Exit, FiberRef, Layer } from "effect"
import type { Compilable, Kysely } from "kysely"
import type { Database } from "./Database.js"
import { KyselyClient } from "./KyselyClient.js"

/** The transaction the current fiber runs in, if any. */
const open: FiberRef.FiberRef<Kysely<Database> | null> = FiberRef.unsafeMake<Kysely<Database> | null>(null)

/** The database to query here: the open transaction, or the root connection outside one. */
export const current: Effect.Effect<Kysely<Database>, never, KyselyClient> = Effect.flatMap(
  FiberRef.get(open),
  (trx) => (trx === null ? Effect.map(KyselyClient, (client) => client.db) : Effect.succeed(trx))
)

/** The database to query for one client: the open transaction, or that client's root connection. */
export const currentOf = (client: Context.Tag.Service<KyselyClient>): Effect.Effect<Kysely<Database>> =>
  Effect.map(FiberRef.get(open), (trx) => trx ?? client.db)

/**
 * `f` applied to the database to query here (the open transaction, or the client's root connection),
 * read from the fiber in one step: the hot reads run this once a request.
 */
export const withCurrent = <A, E>(
  client: Context.Tag.Service<KyselyClient>,
  f: (db: Kysely<Database>) => Effect.Effect<A, E>
): Effect.Effect<A, E> => Effect.withFiberRuntime((fiber) => f(fiber.getFiberRef(open) ?? client.db))

/**
 * A runner for one client's queries: each runs on the open transaction (or the root connection)
 * and a driver failure becomes a `StorageError` carrying `message`.
 */
export const runner = (client: Context.Tag.Service<KyselyClient>) =>
<A>(message: string, query: (db: Kysely<Database>) => Promise<A>): Effect.Effect<A, StorageError.StorageError> =>
  Effect.flatMap(currentOf(client), (db) =>
    Effect.tryPromise({ try: () => query(db), catch: StorageError.StorageError.refail(message) }))

/** How many distinct SQL texts (and query shapes) `selector` keeps per repository; the oldest is dropped beyond it. */
const selectorCapacity = 256

/**
 * What decides a query's SQL text, and its parameters in the order they appear in that text. Queries of one
 * shape share one compilation: Kysely builds and compiles the query the first time a shape is seen (and the
 * parameters given here must be exactly the compiled ones, or the read dies naming the shape); afterwards
 * the SQL text of the shape runs with the parameters given, without building the query again.
 */
export interface Shape {
  readonly key: string
  readonly parameters: ReadonlyArray<unknown>
}

const remember = <K, V>(map: Map<K, V>, key: K, value: V): V => {
  if (map.size >= selectorCapacity) {
    const oldest = map.keys().next()
    if (oldest.done !== true) map.delete(oldest.value)
  }
  map.set(key, value)
  return value
}

const sameParameters = (a: ReadonlyArray<unknown>, b: ReadonlyArray<unknown>): boolean =>
  a.length === b.length && a.every((value, i) => value === b[i])

/**
 * A runner for one client's hot `SELECT`s returning `Row`s. On SQLite outside a transaction, the query runs
 * synchronously on the read-only connection (which sees only committed rows, as the root connection does
 * outside a transaction), or on the writer when there is no reader and the writer holds no transaction, with
 * the statement prepared once per SQL text and, given a `Shape`, compiled once per shape: no async driver, no
 * connection mutex, no fiber suspension. In a transaction, on PostgreSQL, or while the writer holds a
 * transaction, it runs through Kysely as `runner` does. Either way a driver failure becomes a `StorageError`
 * carrying `message`.
 */
export const selector = <Row>(client: Context.Tag.Service<KyselyClient>) => {
  const run = runner(client)
  const sqlite = client.sqlite
  const statements = new Map<string, SqliteDatabase.Statement<[ReadonlyArray<unknown>], Row>>()
  const shapes = new Map<string, string>()
  const prepare = (connection: SqliteDatabase.Database, sql: string) =>
    statements.get(sql) ?? remember(statements, sql, connection.prepare<[ReadonlyArray<unknown>], Row>(sql))
  /** The SQL text of `shape`, compiling `query` the first time; `null` when its parameters are not the compiled ones. */
  const textOf = (shape: Shape, query: (db: Kysely<Database>) => Compilable<Row>): string | null => {
    const known = shapes.get(shape.key)
    if (known !== undefined) return known
    const compiled = query(client.db).compile()
    return sameParameters(compiled.parameters, shape.parameters) ? remember(shapes, shape.key, compiled.sql) : null
  }
  return (
    message: string,
    query: (db: Kysely<Database>) => Compilable<Row>,
    shape?: Shape
  ): Effect.Effect<ReadonlyArray<Row>, StorageError.StorageError> =>
    Effect.withFiberRuntime((fiber) => {
      const trx = fiber.getFiberRef(open)
      if (trx !== null || sqlite === null || (sqlite.reader === null && sqlite.writer.inTransaction)) {
        return run(message, (db) => db.executeQuery(query(db)).then((result) => result.rows))
      }
      const connection = sqlite.reader ?? sqlite.writer
      const refail = StorageError.StorageError.refail(message)
      if (shape === undefined) {
        return Effect.try({
          try: () => {
            const compiled = query(client.db).compile()
            return prepare(connection, compiled.sql).all(compiled.parameters)
          },
          catch: refail
        })
      }
      let text: string | null
      try {
        text = textOf(shape, query)
      } catch (error) {
        return Effect.fail(refail(error))
      }
      if (text === null) return Effect.dieMessage(`query shape ${shape.key}: the parameters given are not the compiled query's`)
      const sql = text
      return Effect.try({ try: () => prepare(connection, sql).all(shape.parameters), catch: refail })
    })
}

/**
 * Transactions on Kysely's controlled transactions: committed on success, rolled back on failure or
 * interruption; the open transaction is kept in a FiberRef so every SQL repository in the fiber
 * uses it, and a nested call joins the outer transaction.
 */
export const layer: Layer.Layer<Transactor.Transactor, never, KyselyClient> = Layer.effect(
  Transactor.Transactor,
  Effect.map(KyselyClient, (client) =>
    Transactor.Transactor.of({
      withTransaction: <A, E, R>(effect: Effect.Effect<A, E, R>) =>
        Effect.flatMap(FiberRef.get(open), (trx): Effect.Effect<A, E | StorageError.StorageError, R> => {
          if (trx !== null) return effect
          return Effect.uninterruptibleMask((restore) =>
            Effect.gen(function*() {
              const started = yield* Effect.tryPromise({
                try: () => client.db.startTransaction().execute(),
                catch: StorageError.StorageError.refail("cannot begin a transaction")
              })
              const rollback = Effect.promise(() => started.rollback().execute().catch(() => undefined))
              const exit = yield* Effect.exit(restore(Effect.locally(effect, open, started)))
              if (Exit.isFailure(exit)) {
                yield* rollback
                return yield* exit
              }
              yield* Effect.tryPromise({
                try: () => started.commit().execute(),
                catch: StorageError.StorageError.refail("cannot commit the transaction")
              }).pipe(Effect.tapError(() => rollback))
              return exit.value
            })
          )
        })
    }))
)
