import { KyselyClient, SqlAuditLog } from "@aidial/adapters-sql"
import { IdGenerator, Secrets, StorageError } from "@aidial/domain"
import { ApiKeyModel, MemoryApiKeyRepo } from "@aidial/testkit"
import { Effect, Layer } from "effect"
import { sql } from "kysely"
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto"
import { describe, it } from "vitest"
import { apiKeyStore } from "./apiKeyLayers.js"
import { pgTestLayer } from "./pgLayer.js"
import { sqliteTestLayer } from "./sqliteLayer.js"

const hmac = (secret: string) => createHmac("sha256", "model-pepper").update(secret, "utf8").digest("hex")

/** HMAC-SHA-256 digests with a fixed test pepper. */
const secrets = Layer.succeed(Secrets.Secrets, Secrets.Secrets.of({
  randomBytes: (length) => Effect.sync(() => new Uint8Array(randomBytes(length))),
  digest: (secret) => Effect.sync(() => ({ version: 1, hex: hmac(secret) })),
  matches: (secret, stored) =>
    Effect.sync(() => {
      const a = Buffer.from(hmac(secret), "hex")
      const b = Buffer.from(stored.hex, "hex")
      return stored.version === 1 && a.length === b.length && timingSafeEqual(a, b)
    })
}))

/** Random unique ids. */
const ids = Layer.succeed(IdGenerator.IdGenerator, IdGenerator.IdGenerator.of({
  make: (kind) => Effect.sync(() => `${kind}_${randomUUID().replaceAll("-", "")}`)
}))

/** Every stored api-key row, so the model can check that no plaintext was written. */
const storedRows = Layer.effect(
  MemoryApiKeyRepo.StoredRows,
  Effect.map(KyselyClient.KyselyClient, (client) =>
    MemoryApiKeyRepo.StoredRows.of({
      dump: Effect.tryPromise({
        try: () => sql`select * from api_keys`.execute(client.db),
        catch: StorageError.StorageError.refail("cannot dump api keys")
      }).pipe(
        Effect.map((result) => JSON.stringify(result.rows))
      )
    }))
)

const store = <E>(client: Layer.Layer<KyselyClient.KyselyClient, E>) =>
  Layer.mergeAll(SqlAuditLog.layer, storedRows).pipe(
    Layer.provideMerge(apiKeyStore(client)),
    Layer.merge(Layer.mergeAll(secrets, ids))
  )

describe("the API-key model on SQL", () => {
  it("agrees with the model on SQLite: revoked, rotated, expired and archived-client keys never verify, usable ones do", () =>
    ApiKeyModel.check(store(sqliteTestLayer()), { numRuns: 40 }))
  it("agrees with the model on PostgreSQL: revoked, rotated, expired and archived-client keys never verify, usable ones do", () =>
    ApiKeyModel.check(store(pgTestLayer()), { numRuns: 25 }))
})
