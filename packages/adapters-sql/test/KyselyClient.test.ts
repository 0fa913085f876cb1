import { KyselyClient } from "@aidial/adapters-sql"
import { Effect } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"

const dir = mkdtempSync(join(tmpdir(), "aidial-client-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const pragmas = (config: KyselyClient.SqliteConfig) =>
  Effect.runPromise(Effect.scoped(Effect.map(KyselyClient.makeSqlite(config), (client) => {
    const handles = client.sqlite
    if (handles === null) throw new Error("a SQLite client has better-sqlite3 handles")
    const mmapOf = (db: NonNullable<typeof handles.reader>) => db.pragma("mmap_size", { simple: true })
    return {
      journal: handles.writer.pragma("journal_mode", { simple: true }),
      writer: mmapOf(handles.writer),
      reader: handles.reader === null ? null : mmapOf(handles.reader)
    }
  })))

describe("KyselyClient.makeSqlite", () => {
  it("opens a file in WAL mode with memory-mapped reads on both connections", async () => {
    expect(await pragmas({ filename: join(dir, "default.sqlite") })).toEqual({
      journal: "wal",
      writer: KyselyClient.defaultMmapBytes,
      reader: KyselyClient.defaultMmapBytes
    })
  })

  it("takes another mapping size, or none", async () => {
    expect(await pragmas({ filename: join(dir, "small.sqlite"), mmapBytes: 1 << 20 })).toMatchObject({ writer: 1 << 20, reader: 1 << 20 })
    expect(await pragmas({ filename: join(dir, "off.sqlite"), mmapBytes: 0 })).toMatchObject({ writer: 0, reader: 0 })
  })

  it("opens an in-memory database on one connection", async () => {
    expect(await pragmas({ filename: ":memory:" })).toMatchObject({ journal: "memory", reader: null })
  })
})
