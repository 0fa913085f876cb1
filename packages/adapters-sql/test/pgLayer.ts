import { KyselyClient, Migrations } from "@aidial/adapters-sql"
import { StorageError } from "@aidial/domain"
import { Effect, Layer } from "effect"
import { sql } from "kysely"

/** The PostgreSQL the tests run against: `AIDIAL_TEST_PG_URL`, or the local trust-auth `test` database. */
export const pgTestUrl: string = process.env["AIDIAL_TEST_PG_URL"] ?? "postgres://postgres@127.0.0.1:5432/test"

/** What went wrong connecting, in words that say what to do; a missing database (SQLSTATE 3D000) is named. */
export const connectionProblem = (schema: string) => (cause: unknown): StorageError.StorageError => {
  const code = typeof cause === "object" && cause !== null && "code" in cause ? cause.code : undefined
  const database = new URL(pgTestUrl).pathname.slice(1)
  return new StorageError.StorageError({
    message: code === "3D000"
      ? `PostgreSQL at ${pgTestUrl} answers, but has no database "${database}": create it (createdb -h 127.0.0.1 -U postgres ${database}, or .ci/run does it)`
      : `cannot reach PostgreSQL at ${pgTestUrl} to create schema ${schema} (start it, or set AIDIAL_TEST_PG_URL)`,
    cause
  })
}

/**
 * A `KyselyClient` on a fresh PostgreSQL schema with a random name, migrated to the latest version
 * and dropped when the layer's scope ends; fails (never skips) when PostgreSQL is unreachable.
 */
export const pgTestLayer = (): Layer.Layer<KyselyClient.KyselyClient, StorageError.StorageError> =>
  Layer.scoped(
    KyselyClient.KyselyClient,
    Effect.gen(function*() {
      const schema = `test_${crypto.randomUUID().replaceAll("-", "")}`
      const client = yield* KyselyClient.makePg({ connectionString: pgTestUrl, schema, maxConnections: 4 })
      yield* Effect.acquireRelease(
        Effect.tryPromise({
          try: () => sql`create schema ${sql.id(schema)}`.execute(client.db),
          catch: connectionProblem(schema)
        }),
        () => Effect.promise(() => sql`drop schema if exists ${sql.id(schema)} cascade`.execute(client.db))
      )
      yield* Effect.provideService(Migrations.migrate, KyselyClient.KyselyClient, client)
      return client
    })
  )

