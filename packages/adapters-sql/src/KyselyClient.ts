import { StorageError } from "@aidial/domain"
import SqliteDatabase from "better-sqlite3"
import { Context, Effect, Layer, type Scope } from "effect"
import { Kysely } from "kysely"
import pg from "pg"
import type { Database } from "./Database.js"
import { SchemaScopedPostgresDialect } from "./internal/SchemaScopedPostgresDialect.js"
import { WriterDialect, WriterLock } from "./internal/SqliteWriter.js"
import * as StatementCache from "./StatementCache.js"

/** Which SQL database the client talks to. */
export type Dialect = "sqlite" | "postgres"

/**
 * The better-sqlite3 connections behind a SQLite client, for hot reads that need a prepared statement
 * (Kysely's builder compiles and prepares every query again).
 */
export interface SqliteHandles {
  /** The connection Kysely runs on; it also holds every transaction Kysely opens. */
  readonly writer: SqliteDatabase.Database
  /**
   * A second, read-only connection to the same file (WAL lets it read beside the writer and it sees
   * only committed rows); `null` for an in-memory database, which one connection cannot share.
   */
  readonly reader: SqliteDatabase.Database | null
  /** Held by whoever uses the writer: Kysely's driver for a query or a transaction, `SqlTransactor` for a transaction. */
  readonly lock: WriterLock
  /** Kysely on the writer without taking `lock`: for the statements of a transaction that holds it. */
  readonly held: Kysely<Database>
}

/** The Kysely instance every SQL adapter runs its queries on. */
export class KyselyClient extends Context.Tag("@aidial/adapters-sql/KyselyClient")<KyselyClient, {
  readonly db: Kysely<Database>
  readonly dialect: Dialect
  /** The PostgreSQL schema every connection uses, when one was given. */
  readonly schema: string | null
  /** The underlying better-sqlite3 connections; `null` on PostgreSQL. */
  readonly sqlite: SqliteHandles | null
}>() {}

export interface SqliteConfig {
  /** A file path, or `:memory:` for a private in-memory database. */
  readonly filename: string
  /**
   * How many bytes of a database file both connections read through memory-mapped I/O (`PRAGMA mmap_size`)
   * instead of a `read` call a page: address space, not memory, since the pages are the operating system's
   * file cache either way. Default `defaultMmapBytes`; `0` turns it off (say, on a file system where a failing
   * disk should give an error rather than a signal, or for a file written far more than it is read).
   */
  readonly mmapBytes?: number
}

/**
 * 1 GiB. Key verification on a 1,000,000-key file reaches 82-83 % of its floor mapped and 67-74 % unmapped
 * (`pnpm bench` (b)/(a), two runs each). The price is paid by a read that follows another connection's commit:
 * a client read by id and organisation took 233 us on average between key creations on the reference server's
 * file, against 38 us unmapped.
 */
export const defaultMmapBytes = 1 << 30

export interface PgConfig {
  readonly connectionString: string
  /** When given, every connection's `search_path` is this schema. */
  readonly schema?: string
  /** The most connections the pool opens (pg's default is 10). */
  readonly maxConnections?: number
}

/** Lower-case, unquoted identifiers only: PostgreSQL folds `search_path` names to lower case. */
const schemaName = /^[a-z_][a-z0-9_]{0,62}$/

/**
 * Opens a better-sqlite3 database (WAL for files, busy_timeout 5000, foreign keys on, memory-mapped reads,
 * transactions begun `IMMEDIATE`) and, for a file, a read-only second connection; both closed with the scope.
 */
export const makeSqlite = (config: SqliteConfig): Effect.Effect<Context.Tag.Service<KyselyClient>, StorageError.StorageError, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.try({
      try: () => {
        const isFile = config.filename !== ":memory:" && config.filename !== ""
        const database = new SqliteDatabase(config.filename)
        let reader: SqliteDatabase.Database | null = null
        try {
          if (isFile) database.pragma("journal_mode = WAL")
          database.pragma("busy_timeout = 5000")
          database.pragma("foreign_keys = ON")
          const mmap = `mmap_size = ${Math.max(0, Math.floor(config.mmapBytes ?? defaultMmapBytes))}`
          if (isFile) {
            database.pragma(mmap)
            reader = new SqliteDatabase(config.filename, { readonly: true, fileMustExist: true })
            reader.pragma("busy_timeout = 5000")
            reader.pragma(mmap)
          }
        } catch (error) {
          reader?.close()
          database.close()
          throw error
        }
        const statements = StatementCache.wrap(database)
        const lock = new WriterLock()
        return KyselyClient.of({
          db: new Kysely<Database>({ dialect: new WriterDialect(statements, lock) }),
          dialect: "sqlite",
          schema: null,
          sqlite: { writer: database, reader, lock, held: new Kysely<Database>({ dialect: new WriterDialect(statements, null) }) }
        })
      },
      catch: StorageError.StorageError.refail(`cannot open SQLite database ${config.filename}`)
    }),
    (client) =>
      Effect.promise(() => client.db.destroy()).pipe(
        Effect.zipRight(Effect.sync(() => client.sqlite?.reader?.close()))
      )
  )

/** Opens a pg pool (optionally pinned to one schema), closed with the scope; `int8` values read as numbers. */
export const makePg = (config: PgConfig): Effect.Effect<Context.Tag.Service<KyselyClient>, StorageError.StorageError, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.suspend(() => {
      const schema = config.schema ?? null
      if (schema !== null && !schemaName.test(schema)) {
        return Effect.fail(new StorageError.StorageError({ message: `invalid PostgreSQL schema name ${schema}` }))
      }
      return Effect.try({
        try: () => {
          const types = new pg.TypeOverrides()
          types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value))
          const pool = new pg.Pool({
            connectionString: config.connectionString,
            types,
            ...(schema === null ? {} : { options: `-c search_path=${schema}` }),
            ...(config.maxConnections === undefined ? {} : { max: config.maxConnections })
          })
          return KyselyClient.of({
            db: new Kysely<Database>({ dialect: new SchemaScopedPostgresDialect({ pool }) }),
            dialect: "postgres",
            schema,
            sqlite: null
          })
        },
        catch: StorageError.StorageError.refail("cannot create the PostgreSQL pool")
      })
    }),
    (client) => Effect.promise(() => client.db.destroy())
  )

/** A `KyselyClient` on a better-sqlite3 database, closed when the layer's scope ends. */
export const layerSqlite = (config: SqliteConfig): Layer.Layer<KyselyClient, StorageError.StorageError> =>
  Layer.scoped(KyselyClient, makeSqlite(config))

/** A `KyselyClient` on a pg pool, closed when the layer's scope ends. */
export const layerPg = (config: PgConfig): Layer.Layer<KyselyClient, StorageError.StorageError> =>
  Layer.scoped(KyselyClient, makePg(config))
