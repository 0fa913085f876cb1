import { FastCheck as fc } from "effect"
import { describe, expect, it } from "vitest"
import * as SeenRecently from "../src/internal/SeenRecently.js"

describe("SeenRecently", () => {
  it("answers false on an id's first sighting and true on its next, until the window is used up", () => {
    const seen = SeenRecently.make(1 << 16, 3)
    expect([seen.check("key_a"), seen.check("key_a"), seen.check("key_a")]).toEqual([false, true, true])
    expect([seen.check("key_b"), seen.check("key_c")]).toEqual([false, false])
    // Three new ids recorded (a, b, c): everything is forgotten.
    expect([seen.check("key_a"), seen.check("key_b")]).toEqual([false, false])
  })

  it("answers false on every first sighting, and true on the second for all ids but one sharing a slot", () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 24 }), { maxLength: 40 }), (ids) => {
        const seen = SeenRecently.make(1 << 20, 1_000)
        const firsts = ids.map((id) => seen.check(id))
        const again = ids.map((id) => seen.check(id))
        // With 2^20 slots and 40 ids a shared slot is possible but rare; then the later id overwrote it.
        expect(firsts.filter(Boolean)).toEqual([])
        expect(again.filter((x) => !x).length).toBeLessThanOrEqual(1)
      }),
      { numRuns: 300 }
    )
  })
})
