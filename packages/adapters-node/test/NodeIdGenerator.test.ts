import { IdGenerator, Ids } from "@aidial/domain"
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import * as NodeIdGenerator from "../src/NodeIdGenerator.js"

const alphabet = "0123456789abcdefghjkmnpqrstvwxyz"
const maxTime = 2 ** 48 - 1

/** The milliseconds the first ten characters of a ulid stand for. */
const timeOf = (id: string): number => [...id.slice(0, 10)].reduce((n, c) => n * 32 + alphabet.indexOf(c), 0)

describe("NodeIdGenerator", () => {
  it("writes a ulid as 26 characters of the alphabet whose first ten are the time, in order", () => {
    // The edges of each base-32 digit, the largest time, and times spread over the whole range.
    const times = [0, 1, 31, 32, 1023, 1024, 1_700_000_000_000, maxTime, ...Array.from({ length: 500 }, () => Math.floor(Math.random() * maxTime))]
    for (const a of times) {
      const x = NodeIdGenerator.ulid(a)
      expect(x).toMatch(/^[0-9a-hjkmnp-tv-z]{26}$/)
      expect(timeOf(x)).toBe(a)
    }
    const sorted = [...times].sort((a, b) => a - b)
    const ids = sorted.map((t) => NodeIdGenerator.ulid(t).slice(0, 10))
    expect([...ids].sort()).toEqual(ids)
  })

  it("draws the random part afresh for every id, also within one millisecond", () => {
    const ids = Array.from({ length: 5000 }, () => NodeIdGenerator.ulid(1_700_000_000_000))
    expect(new Set(ids).size).toBe(ids.length)
    // Every character of the alphabet turns up in the random parts (80 random bits an id).
    expect(new Set(ids.flatMap((id) => [...id.slice(10)])).size).toBe(alphabet.length)
  })

  it("makes ids of every kind with the kind's prefix", () =>
    Effect.runPromise(Effect.gen(function*() {
      const ids = yield* IdGenerator.IdGenerator
      for (const kind of Object.keys(Ids.prefixes) as Array<Ids.IdKind>) {
        const id = yield* ids.make(kind)
        expect(id).toMatch(new RegExp(`^${Ids.prefixes[kind]}_[0-9a-hjkmnp-tv-z]{26}$`))
        expect(Math.abs(timeOf(id.slice(id.indexOf("_") + 1)) - Date.now())).toBeLessThan(60_000)
      }
    }).pipe(Effect.provide(NodeIdGenerator.layer))))
})
