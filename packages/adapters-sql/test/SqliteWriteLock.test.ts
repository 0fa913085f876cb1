/**
 * A write transaction on a SQLite file holds the write lock from its `BEGIN`: another connection (as
 * another process sharing the file would have) cannot commit between the transaction's read and its
 * write. With SQLite's deferred default it could, and the transaction's write then failed with
 * `SQLITE_BUSY_SNAPSHOT` whatever the busy timeout.
 */
import { KyselyClient, Migrations, SqlClientRepo, SqlTransactor } from "@aidial/adapters-sql"
import { ClientRepo, Ids, Tenancy, Transactor } from "@aidial/domain"
import Database from "better-sqlite3"
import { Effect, Layer, Option } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"

const dir = mkdtempSync(join(tmpdir(), "aidial-write-lock-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe("SQLite write transactions", () => {
  it("take the write lock at BEGIN, so a read-then-write cannot be overtaken by another connection", async () => {
    const filename = join(dir, "lock.sqlite")
    const client = new Tenancy.Client({
      id: Ids.ClientId.make("cli_lock"),
      partnerOrgId: null,
      name: "Before",
      status: "active",
      createdAt: new Date("2026-01-01T00:00:00.000Z")
    })
    const layer = Layer.mergeAll(SqlClientRepo.layer, SqlTransactor.layer).pipe(
      Layer.provideMerge(Layer.effectDiscard(Migrations.migrate).pipe(Layer.provideMerge(KyselyClient.layerSqlite({ filename }))))
    )
    // The other process: its own connection to the file, failing at once instead of waiting for the lock.
    const other = new Database(filename, { fileMustExist: false })
    other.pragma("busy_timeout = 0")
    const otherWrite = () => {
      try {
        other.prepare("update clients set name = 'Other' where id = ?").run(client.id)
        return "committed"
      } catch (error) {
        return error instanceof Error && "code" in error ? String(error.code) : "failed"
      }
    }
    try {
      const outcome = await Effect.runPromise(Effect.provide(
        Effect.gen(function*() {
          const clients = yield* ClientRepo.ClientRepo
          const tx = yield* Transactor.Transactor
          yield* clients.insert(client)
          const during = yield* tx.withTransaction(Effect.gen(function*() {
            const read = yield* clients.get(client.id)
            const attempt = otherWrite()
            if (Option.isSome(read)) yield* clients.update(new Tenancy.Client({ ...read.value, name: "Mine" }))
            return attempt
          }))
          return { during, after: otherWrite(), final: Option.map(yield* clients.get(client.id), (c) => c.name) }
        }),
        layer
      ))
      expect(outcome).toEqual({ during: "SQLITE_BUSY", after: "committed", final: Option.some("Other") })
    } finally {
      other.close()
    }
  })
})
