import { KyselyClient, SqlClientRepo, SqlTransactor } from "@aidial/adapters-sql"
import { ClientRepo, Ids, Tenancy, Transactor } from "@aidial/domain"
import { Effect, Exit, Layer } from "effect"
import { describe, expect, it } from "vitest"
import * as Prepared from "../src/internal/Prepared.js"
import { sqliteTestLayer } from "./sqliteLayer.js"

const at = new Date("2026-01-01T00:00:00.000Z")
const clients = ["cli_a", "cli_b", "cli_c"].map((id) =>
  new Tenancy.Client({ id: Ids.ClientId.make(id), partnerOrgId: null, name: `Client ${id}`, status: "active", createdAt: at })
)

const run = <A, E>(effect: Effect.Effect<A, E, KyselyClient.KyselyClient | ClientRepo.ClientRepo>) =>
  Effect.runPromiseExit(Effect.provide(
    Effect.zipRight(Effect.flatMap(ClientRepo.ClientRepo, (repo) => Effect.forEach(clients, repo.insert)), effect),
    SqlClientRepo.layer.pipe(Layer.provideMerge(sqliteTestLayer()))
  ))

describe("Prepared.selector with a query shape", () => {
  it("builds and compiles a shape's query once, then runs its SQL with each call's values", async () => {
    const exit = await run(Effect.gen(function*() {
      const select = Prepared.selector<{ readonly id: string }>(yield* KyselyClient.KyselyClient)
      let built = 0
      const byId = (id: string) =>
        select("cannot read client", (db, v) => {
          built++
          return db.selectFrom("clients").select("id").where("id", "=", v.id)
        }, { key: "byId", values: { id } })
      const found = yield* Effect.forEach(["cli_c", "cli_a", "cli_nobody", "cli_b"], byId)
      return { found: found.map((rows) => rows.map((r) => r.id)), built }
    }))
    expect(exit).toEqual(Exit.succeed({ found: [["cli_c"], ["cli_a"], [], ["cli_b"]], built: 1 }))
  })

  it("places each value where the compiled SQL wants it, whatever order the builder reads them in, lists and constants included", async () => {
    const exit = await run(Effect.gen(function*() {
      const select = Prepared.selector<{ readonly id: string }>(yield* KyselyClient.KyselyClient)
      let built = 0
      const page = (ids: ReadonlyArray<string>, after: string, name: string) =>
        select("cannot list clients", (db, v) => {
          built++
          return db.selectFrom("clients").select("id")
            .where("name", "<", v.name)
            .where("id", "in", v.ids)
            .where("id", ">", v.after)
            .orderBy("id")
            .limit(2)
        }, { key: `page:${ids.length}`, values: { after, ids, name } })
      const first = yield* page(["cli_a", "cli_b", "cli_c"], "cli_a", "Client cli_z")
      const second = yield* page(["cli_c", "cli_b", "cli_a"], "", "Client cli_b")
      const third = yield* page(["cli_a", "cli_b", "cli_c"], "cli_b", "Client cli_z")
      return { pages: [first, second, third].map((rows) => rows.map((r) => r.id)), built }
    }))
    expect(exit).toEqual(Exit.succeed({ pages: [["cli_b", "cli_c"], ["cli_a"], ["cli_c"]], built: 1 }))
  })
})

describe("Prepared.writer with a query shape", () => {
  it("compiles a write once in a transaction, a null value being a parameter like any other", async () => {
    const exit = await Effect.runPromiseExit(Effect.provide(
      Effect.gen(function*() {
        const client = yield* KyselyClient.KyselyClient
        const write = Prepared.writer(client)
        const select = Prepared.selector<{ readonly id: string; readonly partner_org_id: string | null }>(client)
        let built = 0
        const insert = (id: string, partnerOrgId: string | null) =>
          write("cannot insert client", (db, v) => {
            built++
            return db.insertInto("clients").values(v)
          }, {
            key: "insert",
            values: { id, partner_org_id: partnerOrgId, name: `Client ${id}`, status: "active", created_at: 0 }
          })
        const changed = yield* (yield* Transactor.Transactor).withTransaction(
          Effect.forEach([["cli_a", null], ["cli_b", "org_b"], ["cli_c", null]] as const, ([id, org]) => insert(id, org))
        )
        const rows = yield* select("cannot list clients", (db) => db.selectFrom("clients").select(["id", "partner_org_id"]).orderBy("id"), {
          key: "all",
          values: {}
        })
        return { changed, rows, built }
      }),
      SqlTransactor.layer.pipe(Layer.provideMerge(sqliteTestLayer()))
    ))
    expect(exit).toEqual(Exit.succeed({
      changed: [1, 1, 1],
      rows: [{ id: "cli_a", partner_org_id: null }, { id: "cli_b", partner_org_id: "org_b" }, { id: "cli_c", partner_org_id: null }],
      built: 1
    }))
  })
})
