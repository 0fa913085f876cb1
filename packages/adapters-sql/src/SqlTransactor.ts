import { StorageError, Transactor } from "@aidial/domain"
import { type Context, Effect, Exit, FiberRef, Layer } from "effect"
import type { Kysely } from "kysely"
import type { Database } from "./Database.js"
import { open } from "./internal/OpenTransaction.js"
import { KyselyClient, type SqliteHandles } from "./KyselyClient.js"


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

/** Runs `effect` in a transaction, or joins the one the fiber has open. */
type WithTransaction = <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E | StorageError.StorageError, R>

/**
 * PostgreSQL's transactions, on Kysely's controlled transactions: one pooled connection for the
 * transaction, committed on success, rolled back on failure or interruption.
 */
const kyselyTransactions = (client: Context.Tag.Service<KyselyClient>): WithTransaction => (effect) =>
  Effect.uninterruptibleMask((restore) =>
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

/**
 * SQLite's transactions, on the writer directly: the transaction takes the writer's lock (waiting its turn
 * behind Kysely's queries and other transactions), then `BEGIN IMMEDIATE`, its statements on the held
 * connection, and `COMMIT` (or `ROLLBACK` on failure or interruption) run synchronously, with no promise
 * between them; the lock is released on every way out (`test/SqliteWriter.test.ts`).
 */
const sqliteTransactions = (sqlite: SqliteHandles): WithTransaction => {
  const begin = sqlite.writer.prepare("begin immediate")
  const commit = sqlite.writer.prepare("commit")
  const rollbackStatement = sqlite.writer.prepare("rollback")
  const lock = sqlite.lock
  const take: Effect.Effect<void> = Effect.suspend(() =>
    lock.tryTake() ? Effect.void : Effect.async<void>((resume) => {
      let granted = false
      const withdraw = lock.take(() => {
        granted = true
        resume(Effect.void)
      })
      // Interrupted while waiting: withdraw the request, or hand back a lock granted meanwhile.
      return Effect.sync(() => (granted ? lock.release() : withdraw()))
    })
  )
  const rollback = () => {
    try {
      if (sqlite.writer.inTransaction) rollbackStatement.run()
    } catch {
      // Nothing more can be done: the connection rolls back itself when a statement cannot.
    }
  }
  const failed = (message: string) => (cause: unknown) => {
    rollback()
    lock.release()
    return Effect.fail(StorageError.StorageError.refail(message)(cause))
  }
  // Within the uninterruptible region each step runs in turn: the lock is released on every path out, and the
  // open transaction is set for the effect alone (the fiber had none, or it would have joined it).
  return <A, E, R>(effect: Effect.Effect<A, E, R>) =>
    Effect.uninterruptibleMask((restore) =>
      Effect.flatMap(restore(take), () => {
        try {
          begin.run()
        } catch (cause) {
          return failed("cannot begin a transaction")(cause)
        }
        return Effect.flatMap(
          Effect.zipRight(FiberRef.set(open, sqlite.held), Effect.exit(restore(effect))),
          (exit): Effect.Effect<A, E | StorageError.StorageError> => {
            if (Exit.isFailure(exit)) {
              rollback()
              lock.release()
              return Effect.zipRight(FiberRef.set(open, null), exit)
            }
            try {
              commit.run()
            } catch (cause) {
              return Effect.zipRight(FiberRef.set(open, null), failed("cannot commit the transaction")(cause))
            }
            lock.release()
            return Effect.as(FiberRef.set(open, null), exit.value)
          }
        )
      })
    )
}

/**
 * Transactions committed on success, rolled back on failure or interruption; the open transaction is kept
 * in a FiberRef so every SQL repository in the fiber uses it, and a nested call joins the outer transaction.
 */
export const layer: Layer.Layer<Transactor.Transactor, never, KyselyClient> = Layer.effect(
  Transactor.Transactor,
  Effect.map(KyselyClient, (client) => {
    const transactions = client.sqlite === null ? kyselyTransactions(client) : sqliteTransactions(client.sqlite)
    return Transactor.Transactor.of({
      withTransaction: <A, E, R>(effect: Effect.Effect<A, E, R>) =>
        Effect.withFiberRuntime<A, E | StorageError.StorageError, R>((fiber) =>
          fiber.getFiberRef(open) === null ? transactions(effect) : effect
        )
    })
  })
)
