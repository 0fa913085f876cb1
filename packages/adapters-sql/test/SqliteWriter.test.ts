/**
 * One writer, one lock: while a transaction holds a SQLite database's writer, another fiber's statements
 * outside it wait their turn instead of running inside it, and a transaction interrupted while it waits
 * for the lock leaves the lock to the next.
 */
import { KyselyClient, SqlClientRepo, SqlTransactor } from "@aidial/adapters-sql"
import { ClientRepo, Ids, Tenancy, Transactor } from "@aidial/domain"
import { Deferred, Effect, Exit, Fiber, Layer, Option } from "effect"
import { describe, expect, it } from "vitest"
import { sqliteFileTestLayer, sqliteTestLayer } from "./sqliteLayer.js"

const client = (id: string) =>
  new Tenancy.Client({
    id: Ids.ClientId.make(id),
    partnerOrgId: null,
    name: `Client ${id}`,
    status: "active",
    createdAt: new Date("2026-01-01T00:00:00.000Z")
  })

class Abandoned {
  readonly _tag = "Abandoned"
}

const databases = [["in memory", sqliteTestLayer], ["on a file", sqliteFileTestLayer]] as const

const run = <A, E>(
  database: () => Layer.Layer<KyselyClient.KyselyClient, unknown>,
  effect: Effect.Effect<A, E, ClientRepo.ClientRepo | Transactor.Transactor>
) => Effect.runPromise(Effect.provide(effect, Layer.mergeAll(SqlClientRepo.layer, SqlTransactor.layer).pipe(Layer.provideMerge(database()))))

/** Forks `effect`, lets every other fiber run a while, and says whether it has finished. */
const forkAndSettle = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(effect)
    yield* Effect.sleep("30 millis")
    return { fiber, finished: Option.isSome(yield* Fiber.poll(fiber)) }
  })

/**
 * Opens a transaction in its own fiber that inserts client `id` and then holds the writer until `release`
 * is called; it ends as `then` says (commit on success, rollback on failure). Returns once the insert is in.
 */
const holdTransaction = <E>(id: string, then: Effect.Effect<void, E>) =>
  Effect.gen(function*() {
    const clients = yield* ClientRepo.ClientRepo
    const tx = yield* Transactor.Transactor
    const inside = yield* Deferred.make<void>()
    const released = yield* Deferred.make<void>()
    const fiber = yield* Effect.fork(Effect.exit(tx.withTransaction(Effect.gen(function*() {
      yield* clients.insert(client(id))
      yield* Deferred.succeed(inside, undefined)
      yield* Deferred.await(released)
      yield* then
    }))))
    yield* Deferred.await(inside)
    return { fiber, release: Deferred.succeed(released, undefined) }
  })

describe.each(databases)("the SQLite writer %s", (_, database) => {
  it("keeps another fiber's write out of an open transaction: it waits, and survives the rollback", async () => {
    const outcome = await run(database, Effect.gen(function*() {
      const clients = yield* ClientRepo.ClientRepo
      const transaction = yield* holdTransaction("cli_inside", Effect.fail(new Abandoned()))
      const outside = yield* forkAndSettle(clients.insert(client("cli_outside")))
      const reader = yield* forkAndSettle(clients.get(Ids.ClientId.make("cli_inside")))
      yield* transaction.release
      const exit = yield* Fiber.join(transaction.fiber)
      yield* Fiber.join(outside.fiber)
      return {
        waited: !outside.finished,
        sawUncommitted: Option.isSome(yield* Fiber.join(reader.fiber)),
        rolledBack: Exit.isFailure(exit),
        inside: Option.isSome(yield* clients.get(Ids.ClientId.make("cli_inside"))),
        outside: Option.isSome(yield* clients.get(Ids.ClientId.make("cli_outside")))
      }
    }))
    expect(outcome).toEqual({ waited: true, sawUncommitted: false, rolledBack: true, inside: false, outside: true })
  })

  it("gives the lock to the next transaction when one waiting for it is interrupted", async () => {
    const outcome = await run(database, Effect.gen(function*() {
      const clients = yield* ClientRepo.ClientRepo
      const tx = yield* Transactor.Transactor
      const first = yield* holdTransaction("cli_first", Effect.void)
      const waiting = yield* forkAndSettle(tx.withTransaction(clients.insert(client("cli_interrupted"))))
      yield* Fiber.interrupt(waiting.fiber)
      yield* first.release
      yield* Fiber.join(first.fiber)
      yield* tx.withTransaction(clients.insert(client("cli_next")))
      return {
        waited: !waiting.finished,
        stored: yield* Effect.forEach(["cli_first", "cli_interrupted", "cli_next"], (id) =>
          Effect.map(clients.get(Ids.ClientId.make(id)), Option.isSome))
      }
    }))
    expect(outcome).toEqual({ waited: true, stored: [true, false, true] })
  })
})
