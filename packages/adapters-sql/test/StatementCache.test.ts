import Database from "better-sqlite3"
import { describe, expect, it } from "vitest"
import * as StatementCache from "../src/StatementCache.js"

describe("StatementCache", () => {
  it("prepares each SQL text once and hands back the same statement", () => {
    const database = new Database(":memory:")
    const cached = StatementCache.wrap(database)
    const first = cached.prepare("select 1 as one")
    expect(cached.prepare("select 1 as one")).toBe(first)
    expect(first.all([])).toEqual([{ one: 1 }])
    expect(cached.prepare("select 2 as two")).not.toBe(first)
    cached.close()
    expect(database.open).toBe(false)
  })

  it("drops the least recently used statement beyond its capacity", () => {
    const cached = StatementCache.wrap(new Database(":memory:"), 2)
    const a = cached.prepare("select 'a'")
    const b = cached.prepare("select 'b'")
    expect(cached.prepare("select 'a'")).toBe(a)
    cached.prepare("select 'c'")
    expect(cached.prepare("select 'a'")).toBe(a)
    expect(cached.prepare("select 'b'")).not.toBe(b)
    cached.close()
  })
})
