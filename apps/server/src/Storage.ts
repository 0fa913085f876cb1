/** Storage chosen by `AIDIAL_DATABASE_URL`: SQLite (default) or PostgreSQL, migrated, then seeded when empty. */
import { KyselyClient, Migrations, SqlStack } from "@aidial/adapters-sql"
import { Clock, type Storage, type StorageError } from "@aidial/domain"
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

/** Every storage port (the domain's `Storage`) on a migrated database that holds at least the demo world. */
export const layer = (database: Config.Database): Layer.Layer<Storage, StorageError.StorageError> => {
  const migrated = Layer.effectDiscard(Migrations.migrate).pipe(Layer.provideMerge(client(database)))
  const ports = SqlStack.layer.pipe(Layer.provide(migrated))
  const seeded = Layer.effectDiscard(
    Effect.flatMap(Seed.seed, (fresh) =>
      Console.log(fresh ? `Seeded the demo world into ${describe(database)}.` : `Using existing data in ${describe(database)}.`))
  ).pipe(Layer.provide(Clock.layer))
  return seeded.pipe(Layer.provideMerge(ports))
}
