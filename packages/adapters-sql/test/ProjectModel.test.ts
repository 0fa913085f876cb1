import { SqlStack } from "@aidial/adapters-sql"
import { ProjectModel, SequentialIds } from "@aidial/testkit"
import { Layer } from "effect"
import { describe, it } from "vitest"
import { pgTestLayer } from "./pgLayer.js"
import { sqliteTestLayer } from "./sqliteLayer.js"

const backends = [
  ["SQLite", sqliteTestLayer, 40],
  ["PostgreSQL", pgTestLayer, 12]
] as const

describe.each(backends)("the project-configuration model on %s", (_name, client, numRuns) => {
  it("agrees with create, patch (fresh and stale), publish, restore and entitlement toggles in any order", async () => {
    await ProjectModel.check(Layer.mergeAll(SqlStack.layer.pipe(Layer.provide(client())), SequentialIds.layer), { numRuns })
  })
})
