/** Storage chosen by `AIDIAL_DATABASE_URL`: SQLite (default) or PostgreSQL, migrated, then seeded when empty. */
import { KyselyClient, Migrations, SqlApiKeys, SqlStorage, SqlTeam } from "@aidial/adapters-sql"
import {
  type ApiKeyRepo,
  type ApiKeyUsage,
  type AuditLog,
  Clock,
  type InvitationRepo,
  type MemberActivity,
  type Outbox,
  type ProjectConfigRepos,
  type StorageError,
  type TenancyRepos,
  type Transactor
} from "@aidial/domain"
import { Console, Effect, Layer, Redacted } from "effect"
import type * as Config from "./Config.js"
import * as Seed from "./Seed.js"

/** A short description of the database that never shows credentials. */
export const describe = (database: Config.Database): string =>
  database._tag === "Sqlite" ? `SQLite ${database.filename}` : "PostgreSQL (AIDIAL_DATABASE_URL)"

const client = (database: Config.Database): Layer.Layer<KyselyClient.KyselyClient, StorageError.StorageError> =>
  database._tag === "Sqlite"
    ? KyselyClient.layerSqlite({ filename: database.filename })
    : KyselyClient.layerPg({ connectionString: Redacted.value(database.connectionString) })

/** The SQL ports (tenancy, project configuration, audit, team, API keys and their usage) on a migrated database that holds at least the demo world. */
export const layer = (
  database: Config.Database
): Layer.Layer<
  | TenancyRepos
  | ProjectConfigRepos
  | Transactor.Transactor
  | AuditLog.AuditLog
  | InvitationRepo.InvitationRepo
  | Outbox.Outbox
  | MemberActivity.MemberActivity
  | ApiKeyRepo.ApiKeyRepo
  | ApiKeyUsage.ApiKeyUsage,
  StorageError.StorageError
> => {
  const migrated = Layer.effectDiscard(Migrations.migrate).pipe(Layer.provideMerge(client(database)))
  const ports = SqlApiKeys.layer.pipe(Layer.provideMerge(Layer.mergeAll(SqlStorage.layer, SqlTeam.layer)), Layer.provide(migrated))
  const seeded = Layer.effectDiscard(
    Effect.flatMap(Seed.seed, (fresh) =>
      Console.log(fresh ? `Seeded the demo world into ${describe(database)}.` : `Using existing data in ${describe(database)}.`))
  ).pipe(Layer.provide(Clock.layer))
  return seeded.pipe(Layer.provideMerge(ports))
}
