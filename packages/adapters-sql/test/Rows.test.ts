import { KyselyClient, SqlProjectRepo } from "@aidial/adapters-sql"
import { Ids, ProjectRepo, StorageError } from "@aidial/domain"
import { Effect, Either, Exit, Layer, Option, Schema } from "effect"
import { sql } from "kysely"
import { describe, expect, it } from "vitest"
import * as Rows from "../src/internal/Rows.js"
import { sqliteTestLayer } from "./sqliteLayer.js"

const decodeCount = Rows.decode(Schema.Struct({ n: Schema.Int }), "count")

describe("Rows", () => {
  it("decodes every row in order, and the first row that does not decode fails them all as a StorageError", () => {
    expect(Rows.decodeAll(decodeCount)([{ n: 1 }, { n: 2 }])).toEqual(Either.right([{ n: 1 }, { n: 2 }]))
    const failed = Rows.decodeAll(decodeCount)([{ n: 1 }, { n: 1.5 }, { n: "x" }])
    expect(Either.isLeft(failed) && failed.left).toBeInstanceOf(StorageError.StorageError)
    expect(Either.isLeft(failed) && failed.left.message).toContain("stored count is invalid")
    expect(Rows.decodeOption(decodeCount)(undefined)).toEqual(Either.right(Option.none()))
  })

  it("decodes the first row of a read by key, and a page with its next cursor from the row beyond the limit", () => {
    const decodeItem = Rows.decode(Schema.Struct({ id: Schema.String, n: Schema.Int }), "item")
    expect(Rows.first(decodeCount)([{ n: 1 }, { n: 2 }])).toEqual(Either.right(Option.some({ n: 1 })))
    expect(Rows.first(decodeCount)([])).toEqual(Either.right(Option.none()))
    const rows = [{ id: "a", n: 1 }, { id: "b", n: 2 }, { id: "c", n: 3 }]
    expect(Rows.page(decodeItem)(2)(rows)).toEqual(Either.right({ items: rows.slice(0, 2), next: "b" }))
    expect(Rows.page(decodeItem)(3)(rows)).toEqual(Either.right({ items: rows, next: null }))
    const failed = Rows.page(decodeItem)(2)([{ id: "a", n: 1 }, { id: "b", n: 1.5 }])
    expect(Either.isLeft(failed) && failed.left).toBeInstanceOf(StorageError.StorageError)
  })

  it("remembers a decoded row by its content, and never a row that failed", () => {
    let calls = 0
    const counted = Rows.remembered((row: { readonly id: string; readonly n: unknown }) => {
      calls++
      return decodeCount(row)
    }, (row) => row.id)
    const first = counted({ id: "a", n: 1 })
    expect(Either.getOrThrow(counted({ id: "a", n: 1 }))).toBe(Either.getOrThrow(first))
    expect(calls).toBe(1)
    counted({ id: "a", n: "x" })
    counted({ id: "a", n: "x" })
    expect(calls).toBe(3)
  })

  it("decodes a row afresh when any column differs from the remembered row of the same key", () => {
    let calls = 0
    const counted = Rows.remembered((row: { readonly id: string; readonly n: number; readonly extra?: number }) => {
      calls++
      return Either.right(row.n)
    }, (row) => row.id)
    expect(counted({ id: "a", n: 1 })).toEqual(Either.right(1))
    expect(counted({ id: "a", n: 2 })).toEqual(Either.right(2))
    expect(counted({ id: "a", n: 2, extra: 0 })).toEqual(Either.right(2))
    expect(calls).toBe(3)
    expect(counted({ id: "a", n: 2 })).toEqual(Either.right(2))
    expect(calls).toBe(4)
    expect(counted({ id: "b", n: 1 })).toEqual(Either.right(1))
    expect(counted({ id: "a", n: 2 })).toEqual(Either.right(2))
    expect(calls).toBe(5)
  })

  it("reads a stored row that no longer decodes as a StorageError, not a defect", async () => {
    const exit = await Effect.runPromiseExit(Effect.provide(
      Effect.gen(function*() {
        const { db } = yield* KyselyClient.KyselyClient
        yield* Effect.promise(() =>
          sql`insert into projects (id, client_id, environment, display_name, timezone, is_active, created_at)
              values ('prj_broken', 'cli_x', 'live', 'Broken', 'Not/AZone', 1, 0)`.execute(db)
        )
        return yield* (yield* ProjectRepo.ProjectRepo).get(Ids.ProjectId.make("prj_broken"))
      }),
      SqlProjectRepo.layer.pipe(Layer.provideMerge(sqliteTestLayer()))
    ))
    expect(Exit.isFailure(exit) && Exit.causeOption(exit).pipe(Option.map((c) => c._tag))).toEqual(Option.some("Fail"))
  })
})
