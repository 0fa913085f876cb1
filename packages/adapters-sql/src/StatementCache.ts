import { BoundedCache } from "@aidial/domain"
import type SqliteDatabase from "better-sqlite3"
import type { SqliteDatabase as KyselySqliteDatabase, SqliteStatement } from "kysely"

/** How many distinct SQL texts stay prepared; the least recently used is dropped beyond it. */
export const defaultCapacity = 512

/**
 * The better-sqlite3 database as Kysely's SQLite dialect sees it, with prepared statements kept by
 * SQL text: Kysely prepares every query it runs, and preparing costs more than running a point read.
 * Sharing a statement is safe because Kysely's SQLite driver runs one query at a time on its connection.
 */
export const wrap = (database: SqliteDatabase.Database, capacity: number = defaultCapacity): KyselySqliteDatabase => {
  const statements = BoundedCache.make<string, SqliteStatement>(capacity, { recency: true })
  return {
    close: () => {
      statements.clear()
      database.close()
    },
    prepare: (sql) => statements.get(sql) ?? statements.set(sql, database.prepare(sql))
  }
}
