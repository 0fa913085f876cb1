import { StorageError, Transactor } from "@aidial/domain"
import { type Context, Effect, Exit, FiberRef, Layer } from "effect"
import type { Kysely } from "kysely"
import type { Database } from "./Database.js"
import { open } from "./internal/OpenTransaction.js"
import { KyselyClient } from "./KyselyClient.js"


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
