import { KyselyClient, SqlClientRepo, SqlTransactor } from "@aidial/adapters-sql"
import { ClientRepo, Ids, Tenancy } from "@aidial/domain"
import { Cause, Effect, Exit, Layer } from "effect"
import { describe, expect, it } from "vitest"
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

describe("SqlTransactor.selector with a query shape", () => {
  it("builds and compiles a shape's query once, then runs its SQL with each call's parameters", async () => {
    const exit = await run(Effect.gen(function*() {
      const select = SqlTransactor.selector<{ readonly id: string }>(yield* KyselyClient.KyselyClient)
      let built = 0
      const byId = (id: string) =>
        select("cannot read client", (db) => {
          built++
          return db.selectFrom("clients").select("id").where("id", "=", id)
        }, { key: "byId", parameters: [id] })
      const found = yield* Effect.forEach(["cli_c", "cli_a", "cli_nobody", "cli_b"], byId)
      return { found: found.map((rows) => rows.map((r) => r.id)), built }
    }))
    expect(exit).toEqual(Exit.succeed({ found: [["cli_c"], ["cli_a"], [], ["cli_b"]], built: 1 }))
  })

  it("dies naming the shape when the parameters given are not the compiled query's", async () => {
    const exit = await run(Effect.gen(function*() {
      const select = SqlTransactor.selector<{ readonly id: string }>(yield* KyselyClient.KyselyClient)
      return yield* select(
        "cannot list clients",
        (db) => db.selectFrom("clients").select("id").where("id", ">", "cli_a").where("name", "<", "Client cli_c"),
        { key: "range", parameters: ["Client cli_c", "cli_a"] }
      )
    }))
    expect(Exit.isFailure(exit) && Cause.pretty(exit.cause)).toContain("query shape range")
  })
})
