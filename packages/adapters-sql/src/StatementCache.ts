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
  const statements = new Map<string, SqliteStatement>()
  return {
    close: () => {
      statements.clear()
      database.close()
    },
    prepare: (sql) => {
      const cached = statements.get(sql)
      if (cached !== undefined) {
        statements.delete(sql)
        statements.set(sql, cached)
        return cached
      }
      const statement = database.prepare(sql)
      statements.set(sql, statement)
      if (statements.size > capacity) {
        const oldest = statements.keys().next()
        if (oldest.done !== true) statements.delete(oldest.value)
      }
      return statement
    }
  }
}
