/**
 * Kysely's SQLite dialect with every transaction begun `IMMEDIATE`: the transaction takes the database's
 * write lock at `BEGIN` (waiting for it up to the busy timeout) instead of at its first write. With
 * SQLite's default, a deferred transaction that reads and then writes fails with `SQLITE_BUSY` when
 * another process committed in between, and no busy timeout helps; begun immediate, it waits its turn
 * and reads what that process committed. Within one process nothing changes: Kysely runs one query at
 * a time on the one writer connection.
 */
import type { DatabaseConnection, Driver, SqliteDialectConfig } from "kysely"
import { CompiledQuery, SqliteDialect, SqliteDriver } from "kysely"

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"))
  }
}

export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig

  constructor(config: SqliteDialectConfig) {
    super(config)
    this.#config = config
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config)
  }
}
