/** The PostgreSQL tests say what to do when their database is missing, rather than only that PostgreSQL failed. */
import { KyselyClient } from "@aidial/adapters-sql"
import { Effect } from "effect"
import { sql } from "kysely"
import { describe, expect, it } from "vitest"
import { connectionProblem, pgTestUrl } from "./pgLayer.js"

describe("the PostgreSQL test database", () => {
  it("is named, with the command that creates it, when the server answers but the database does not exist", async () => {
    const missing = new URL(pgTestUrl)
    missing.pathname = `/aidial_missing_${crypto.randomUUID().replaceAll("-", "")}`
    const cause = await Effect.runPromise(Effect.scoped(Effect.gen(function*() {
      const client = yield* KyselyClient.makePg({ connectionString: missing.href, schema: "public", maxConnections: 1 })
      return yield* Effect.flip(Effect.tryPromise(() => sql`select 1`.execute(client.db)))
    })))
    const error = connectionProblem("s")(cause.error)
    expect(error.message).toContain("has no database")
    expect(error.message).toContain("createdb")
  })

  it("is not blamed when PostgreSQL does not answer at all", () => {
    const error = connectionProblem("s")(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }))
    expect(error.message).toContain("cannot reach PostgreSQL")
  })
})
