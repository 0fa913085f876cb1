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

  it("answers false on every first sighting and true on the second, but where ids share a slot", () => {
    const slots = 1 << 20
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 24 }), { maxLength: 40 }), (ids) => {
        const seen = SeenRecently.make(slots, 1_000)
        const firsts = ids.map((id) => seen.check(id))
        const again = ids.map((id) => seen.check(id))
        const slot = (id: string) => SeenRecently.hash(id) & (slots - 1)
        ids.forEach((id, i) => {
          // "Seen" on a first sighting only when an earlier id has the very same hash.
          if (firsts[i] === true) expect(ids.slice(0, i).some((other) => SeenRecently.hash(other) === SeenRecently.hash(id))).toBe(true)
          // "Not seen" on the second only when another id shares the slot (the later sighting overwrote it).
          if (again[i] === false) expect(ids.some((other) => other !== id && slot(other) === slot(id))).toBe(true)
        })
      }),
      { numRuns: 300 }
    )
  })

  it("forgets an id whose slot another id took, and only then", () => {
    const slots = 4
    const seen = SeenRecently.make(slots, 1_000)
    const ids = Array.from({ length: 64 }, (_, i) => `key_${i}`)
    const a = ids[0] ?? ""
    const b = ids.find((id) => id !== a && (SeenRecently.hash(id) & (slots - 1)) === (SeenRecently.hash(a) & (slots - 1))) ?? ""
    expect([seen.check(a), seen.check(a), seen.check(b), seen.check(a)]).toEqual([false, true, false, false])
  })
})
