import { type KyselyClient, SqlStack } from "@aidial/adapters-sql"
import { InvitationModel } from "@aidial/testkit"
import { Layer } from "effect"
import { describe, it } from "vitest"
import { pgTestLayer } from "./pgLayer.js"
import { sqliteTestLayer } from "./sqliteLayer.js"
import { secrets } from "./TeamStack.js"

const storage = <E>(client: Layer.Layer<KyselyClient.KyselyClient, E>) =>
  Layer.mergeAll(SqlStack.layer.pipe(Layer.provide(client)), secrets)

describe("invitation model on SQL storage", () => {
  it("SQLite follows the invitation model over generated command sequences, a fresh database each run", async () => {
    await InvitationModel.check(storage(sqliteTestLayer()), { numRuns: 50 })
  }, 120_000)

  it("PostgreSQL follows the invitation model over generated command sequences, a fresh schema each run", async () => {
    await InvitationModel.check(storage(pgTestLayer()), { numRuns: 25 })
  }, 240_000)
})
