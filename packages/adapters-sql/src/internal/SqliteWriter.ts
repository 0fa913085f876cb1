/**
 * The one writer connection of a SQLite database, shared by Kysely and by `SqlTransactor`'s transactions.
 *
 * A SQLite database has one connection that writes, so whoever uses it holds its lock: Kysely's driver for
 * each query and each transaction it runs, `SqlTransactor` for a whole transaction, whose statements then
 * run on `held`, a Kysely instance on the same connection that takes no lock (the transaction has it). So a
 * transaction's statements belong in its own fiber, or in fibers it joins before it ends: a fiber forked
 * inside and still running after the commit would run them without the lock.
 *
 * Every transaction is begun `IMMEDIATE`: it takes the database's write lock at `BEGIN` (waiting for it up
 * to the busy timeout) instead of at its first write. With SQLite's default, a deferred transaction that
 * reads and then writes fails with `SQLITE_BUSY` when another process committed in between, and no busy
 * timeout helps; begun immediate, it waits its turn and reads what that process committed.
 */
import type {
  CompiledQuery as Compiled,
  DatabaseConnection,
  Driver,
  QueryResult,
  SqliteDatabase as KyselySqliteDatabase
} from "kysely"
import { CompiledQuery, SelectQueryNode, SqliteDialect } from "kysely"

/** First come, first served: who holds the writer now, and who waits for it. */
export class WriterLock {
  #held = false
  readonly #waiting: Array<() => void> = []

  /** Takes the lock if it is free; `false` if someone holds it. */
  tryTake(): boolean {
    if (this.#held) return false
    this.#held = true
    return true
  }

  /** Calls `granted` once the lock is this caller's (at once if free); the returned function withdraws the request. */
  take(granted: () => void): () => void {
    if (this.tryTake()) {
      granted()
      return () => {}
    }
    this.#waiting.push(granted)
    return () => {
      const at = this.#waiting.indexOf(granted)
      if (at >= 0) this.#waiting.splice(at, 1)
    }
  }

  /** Hands the lock to the next waiter, or frees it. */
  release(): void {
    const next = this.#waiting.shift()
    if (next === undefined) this.#held = false
    else next()
  }
}

class Connection implements DatabaseConnection {
  constructor(readonly database: KyselySqliteDatabase) {}

  executeQuery<R>(compiled: Compiled): Promise<QueryResult<R>> {
    const statement = this.database.prepare(compiled.sql)
    // The rows are what the query's type says (as in Kysely's own SQLite driver): SQLite returns them as stored.
    if (statement.reader) return Promise.resolve({ rows: statement.all(compiled.parameters) as Array<R> })
    const { changes, lastInsertRowid } = statement.run(compiled.parameters)
    return Promise.resolve({ numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] })
  }

  async *streamQuery<R>(compiled: Compiled): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(compiled.query)) throw new Error("SQLite streams select queries only")
    for (const row of this.database.prepare(compiled.sql).iterate(compiled.parameters)) yield { rows: [row as R] }
  }
}

/** Kysely's driver on the writer: each use takes `lock` first, or none when `lock` is `null` (the held instance). */
class WriterDriver implements Driver {
  readonly #connection: Connection

  constructor(database: KyselySqliteDatabase, readonly lock: WriterLock | null) {
    this.#connection = new Connection(database)
  }

  async init(): Promise<void> {}

  acquireConnection(): Promise<DatabaseConnection> {
    const lock = this.lock
    if (lock === null) return Promise.resolve(this.#connection)
    return new Promise((resolve) => lock.take(() => resolve(this.#connection)))
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"))
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("commit"))
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("rollback"))
  }

  async releaseConnection(): Promise<void> {
    this.lock?.release()
  }

  /** Closes the database (the root instance's; the held instance shares it and closes nothing). */
  async destroy(): Promise<void> {
    if (this.lock !== null) this.#connection.database.close()
  }
}

/** Kysely's SQLite dialect on the writer, with `WriterDriver` for its driver. */
export class WriterDialect extends SqliteDialect {
  readonly #database: KyselySqliteDatabase
  readonly #lock: WriterLock | null

  constructor(database: KyselySqliteDatabase, lock: WriterLock | null) {
    super({ database })
    this.#database = database
    this.#lock = lock
  }

  override createDriver(): Driver {
    return new WriterDriver(this.#database, this.#lock)
  }
}
