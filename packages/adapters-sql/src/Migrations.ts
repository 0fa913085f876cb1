import { StorageError } from "@aidial/domain"
import { Effect } from "effect"
import { type Migration, Migrator } from "kysely"
import { KyselyClient } from "./KyselyClient.js"
import * as M0001 from "./migrations/0001_tenancy.js"
import * as M0002 from "./migrations/0002_audit.js"
import * as M0003 from "./migrations/0003_api_keys.js"
import * as M0004 from "./migrations/0004_team.js"
import * as M0005 from "./migrations/0005_project_config.js"
import * as M0006 from "./migrations/0006_draft_head.js"

/** Every migration by name, in the order they run; adding one is adding one line here. */
export const migrations: Readonly<Record<string, Migration>> = {
  "0001_tenancy": M0001,
  "0002_audit": M0002,
  "0003_api_keys": M0003,
  "0004_team": M0004,
  "0005_project_config": M0005,
  "0006_draft_head": M0006
}

/** Runs every pending migration forward; a database already up to date is left as it is. */
export const migrate: Effect.Effect<void, StorageError.StorageError, KyselyClient> = Effect.gen(function*() {
  const client = yield* KyselyClient
  const migrator = new Migrator({
    db: client.db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
    ...(client.schema === null ? {} : { migrationTableSchema: client.schema })
  })
  const result = yield* Effect.tryPromise({
    try: () => migrator.migrateToLatest(),
    catch: StorageError.StorageError.refail("migration failed")
  })
  if (result.error !== undefined) {
    const failed = result.results?.find((r) => r.status === "Error")?.migrationName
    const reason = result.error instanceof Error ? result.error.message : String(result.error)
    const message = failed === undefined ? `migrations could not start: ${reason}` : `migration ${failed} failed: ${reason}`
    return yield* new StorageError.StorageError({ message, cause: result.error })
  }
})
