import { KyselyClient, Migrations } from "@aidial/adapters-sql"
import { StorageError } from "@aidial/domain"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { sql } from "kysely"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { pgTestLayer } from "./pgLayer.js"
import { sqliteTestLayer } from "./sqliteLayer.js"

/** The migrations recorded as applied, with when. */
const applied = Effect.gen(function*() {
  const { db } = yield* KyselyClient.KyselyClient
  const result = yield* Effect.promise(() =>
    sql<{ name: string; timestamp: string }>`select name, timestamp from kysely_migration order by name`.execute(db)
  )
  return result.rows
})

const forwardTwice = Effect.gen(function*() {
  const first = yield* applied
  expect(first.map((r) => r.name)).toStrictEqual(Object.keys(Migrations.migrations).sort())
  yield* Migrations.migrate
  expect(yield* applied).toStrictEqual(first)
})

describe("Migrations", () => {
  it.effect("run forward on SQLite, and a second run changes nothing", () =>
    Effect.provide(forwardTwice, sqliteTestLayer()))

  it.effect("run forward on PostgreSQL, and a second run changes nothing", () =>
    Effect.provide(forwardTwice, pgTestLayer()))

  it.effect("give every PostgreSQL id column byte-order collation, so keyset pages match JavaScript string order", () =>
    Effect.gen(function*() {
      const { db, schema } = yield* KyselyClient.KyselyClient
      const result = yield* Effect.promise(() =>
        sql<{ table_name: string; column_name: string; collation_name: string | null }>`
          select table_name, column_name, collation_name from information_schema.columns
          where table_schema = ${schema} and column_name in ('id', 'user_id', 'client_id', 'partner_org_id')
            and table_name in ('partner_orgs', 'clients', 'users', 'memberships', 'assignments', 'projects', 'audit_events')
        `.execute(db)
      )
      expect(result.rows.length).toBe(14)
      expect(result.rows.filter((r) => r.collation_name !== "C")).toStrictEqual([])
    }).pipe(Effect.provide(pgTestLayer())))

  it.effect("introspect only their own PostgreSQL schema, so a schema dropped elsewhere at that moment cannot fail a migration", () =>
    Effect.gen(function*() {
      const { db, schema } = yield* KyselyClient.KyselyClient
      const other = `test_other_${crypto.randomUUID().replaceAll("-", "")}`
      yield* Effect.acquireRelease(
        Effect.promise(() => sql`create schema ${sql.id(other)}; create table ${sql.id(other)}.elsewhere (id int)`.execute(db)),
        () => Effect.promise(() => sql`drop schema ${sql.id(other)} cascade`.execute(db))
      )
      const tables = yield* Effect.promise(() => db.introspection.getTables({ withInternalKyselyTables: true }))
      expect(tables.length).toBeGreaterThan(0)
      expect(new Set(tables.map((t) => t.schema))).toStrictEqual(new Set([schema]))
      expect(tables.map((t) => t.name)).toContain("kysely_migration")
      expect(tables.find((t) => t.name === "clients")?.columns.map((c) => c.name)).toContain("partner_org_id")
      const visible = yield* Effect.promise(() => db.introspection.getTables())
      expect(visible.map((t) => t.name)).not.toContain("kysely_migration")
    }).pipe(Effect.scoped, Effect.provide(pgTestLayer())))

  it.effect("are listed in name order, so the order they run in is the order they were written in", () =>
    Effect.sync(() => {
      const names = Object.keys(Migrations.migrations)
      expect(names).toStrictEqual([...names].sort())
      expect(names.slice(0, 2)).toStrictEqual(["0001_tenancy", "0002_audit"])
    }))
})

describe("KyselyClient", () => {
  it.effect("a SQLite file uses WAL, a 5 s busy timeout and foreign keys, and keeps its data across opens", () =>
    Effect.gen(function*() {
      const dir = yield* Effect.acquireRelease(
        Effect.sync(() => fs.mkdtempSync(path.join(os.tmpdir(), "aidial-sqlite-"))),
        (d) => Effect.sync(() => fs.rmSync(d, { recursive: true, force: true }))
      )
      const filename = path.join(dir, "core.db")
      const pragmas = Effect.gen(function*() {
        const { db } = yield* KyselyClient.KyselyClient
        const read = (name: string) =>
          Effect.promise(() => sql<Record<string, unknown>>`${sql.raw(`pragma ${name}`)}`.execute(db)).pipe(
            Effect.map((r) => Object.values(r.rows[0] ?? {})[0])
          )
        return { journal: yield* read("journal_mode"), busy: yield* read("busy_timeout"), fk: yield* read("foreign_keys") }
      })
      const open = KyselyClient.layerSqlite({ filename })
      expect(yield* Effect.provide(Effect.zipRight(Migrations.migrate, pragmas), open))
        .toStrictEqual({ journal: "wal", busy: 5000, fk: 1 })
      expect((yield* Effect.provide(applied, open)).map((r) => r.name)).toStrictEqual(Object.keys(Migrations.migrations).sort())
    }).pipe(Effect.scoped))

  it.effect("an unreachable PostgreSQL fails with a StorageError", () =>
    Effect.gen(function*() {
      const unreachable = KyselyClient.layerPg({ connectionString: "postgres://postgres@127.0.0.1:1/test" })
      const error = yield* Effect.flip(Effect.provide(Migrations.migrate, unreachable))
      expect(error).toBeInstanceOf(StorageError.StorageError)
    }))

  it.effect("a PostgreSQL schema name that is not a plain lower-case identifier is refused", () =>
    Effect.gen(function*() {
      for (const schema of ["a; drop", "Upper"]) {
        const error = yield* Effect.flip(Layer.build(KyselyClient.layerPg({ connectionString: "postgres://x@127.0.0.1/x", schema })))
        expect(error).toBeInstanceOf(StorageError.StorageError)
      }
    }).pipe(Effect.scoped))
})
