import { describe, expect, it } from "vitest"
import * as BoundedCache from "../src/BoundedCache.js"

describe("BoundedCache", () => {
  it("holds at most its capacity, the oldest entry going first", () => {
    const cache = BoundedCache.make<string, number>(2)
    cache.set("a", 1)
    cache.set("b", 2)
    expect(cache.get("a")).toBe(1)
    cache.set("c", 3)
    expect([cache.get("a"), cache.get("b"), cache.get("c"), cache.size()]).toEqual([undefined, 2, 3, 2])
  })

  it("with recency, keeps the entry read last and drops the least recently used", () => {
    const cache = BoundedCache.make<string, number>(2, { recency: true })
    cache.set("a", 1)
    cache.set("b", 2)
    expect(cache.get("a")).toBe(1)
    cache.set("c", 3)
    expect([cache.get("a"), cache.get("b"), cache.get("c")]).toEqual([1, undefined, 3])
  })

  it("makes a key set again the newest, and forgets a deleted or cleared key", () => {
    const cache = BoundedCache.make<string, number>(2)
    cache.set("a", 1)
    cache.set("b", 2)
    cache.set("a", 10)
    cache.set("c", 3)
    expect([cache.get("a"), cache.get("b"), cache.get("c")]).toEqual([10, undefined, 3])
    cache.delete("a")
    expect([cache.get("a"), cache.size()]).toEqual([undefined, 1])
    cache.clear()
    expect(cache.size()).toBe(0)
  })
})
