/**
 * The floor under key creation on a SQLite file: one write transaction (`BEGIN IMMEDIATE`, one insert of a
 * row the size of a key's, `COMMIT`) on better-sqlite3 in WAL mode, as the library's connections write, with
 * `synchronous = FULL` (SQLite's default, which the library keeps: every commit waits for the disk) and with
 * `synchronous = NORMAL` (commits wait for no disk; a power loss can undo the last ones), alternating.
 */
import SqliteDatabase from "better-sqlite3"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { median } from "./Measure.js"

export interface Floor {
  /** Write transactions per second, median over rounds. */
  readonly full: number
  readonly normal: number
}

export const measure = (rounds = 5, perRound = 300): Floor => {
  const dir = mkdtempSync(join(tmpdir(), "aidial-bench-writes-"))
  const db = new SqliteDatabase(join(dir, "writes.db"))
  try {
    db.pragma("journal_mode = WAL")
    db.exec("create table keys (id text primary key, client_id text not null, body text not null, created_at integer not null)")
    const insert = db.prepare("insert into keys (id, client_id, body, created_at) values (?, ?, ?, ?)")
    const body = "x".repeat(300)
    let n = 0
    const round = (mode: "FULL" | "NORMAL"): number => {
      db.pragma(`synchronous = ${mode}`)
      const start = process.hrtime.bigint()
      for (let i = 0; i < perRound; i++) {
        db.exec("BEGIN IMMEDIATE")
        insert.run(`key_${n++}`, "cli_bench", body, Date.now())
        db.exec("COMMIT")
      }
      return perRound / (Number(process.hrtime.bigint() - start) / 1e9)
    }
    const full: Array<number> = []
    const normal: Array<number> = []
    for (let r = 0; r < rounds; r++) {
      full.push(round("FULL"))
      normal.push(round("NORMAL"))
    }
    return { full: median(full), normal: median(normal) }
  } finally {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
