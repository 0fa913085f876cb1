import { KyselyClient, Migrations } from "@aidial/adapters-sql"
import { NodeSecrets } from "@aidial/adapters-node"
import { ApiKey } from "@aidial/domain"
import { Effect, Redacted } from "effect"
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

/** The pepper every stored digest in the fixture was made with. */
export const pepper = Redacted.make("bench-pepper-not-a-secret")

/** The one client every fixture key belongs to. */
export const clientId = "cli_bench"

/** The `i`-th fixture key's plaintext: deterministic, so the file can be cached and reused. */
export const plaintextOf = (i: number): string => {
  const keyId = ApiKey.toBase62(i, ApiKey.keyIdLength)
  const secret = ApiKey.toBase62((i * 2654435761) % 4294967296, 11) + ApiKey.toBase62(i, 11)
  return ApiKey.format("live", keyId, secret)
}

/**
 * A migrated SQLite file holding `count` active keys, created once in one transaction with a prepared
 * insert and cached in the temp directory under its parameters.
 */
export const ensureFixture = (count: number): Promise<string> => {
  const dir = join(tmpdir(), "aidial-bench")
  mkdirSync(dir, { recursive: true })
  const file = join(dir, `api-keys-${count}-v1.sqlite`)
  if (existsSync(file)) return Promise.resolve(file)
  const building = `${file}.building`
  for (const f of [building, `${building}-wal`, `${building}-shm`]) rmSync(f, { force: true })
  const digest = NodeSecrets.makeDigester(pepper)
  const program = Effect.gen(function*() {
    yield* Migrations.migrate
    const client = yield* KyselyClient.KyselyClient
    const db = client.sqlite?.writer
    if (db === undefined) return yield* Effect.die("the fixture needs SQLite")
    const started = Date.now()
    db.prepare("insert into clients (id, partner_org_id, name, status, created_at) values (?, null, 'Bench', 'active', ?)")
      .run(clientId, started)
    const insert = db.prepare(
      "insert into api_keys (id, client_id, name, description, scope, environment, prefix, digest_version, digest_hex, " +
        "status, created_at, created_by_kind, created_by_id, expires_at, rotated_from, rotated_to, disabled_at, revoked_reason) " +
        "values (?, ?, 'bench', '', 'read', 'live', ?, 1, ?, 'active', ?, 'system', null, null, null, null, null, null)"
    )
    db.transaction(() => {
      for (let i = 0; i < count; i++) {
        const token = plaintextOf(i)
        const keyId = token.slice(9, 9 + ApiKey.keyIdLength)
        insert.run(`key_${keyId}`, clientId, ApiKey.prefixOf("live", keyId), digest(token), started)
      }
    })()
    db.pragma("wal_checkpoint(TRUNCATE)")
    console.log(`fixture: ${count.toLocaleString("en-US")} keys written in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  })
  return Effect.runPromise(
    Effect.scoped(Effect.provide(program, KyselyClient.layerSqlite({ filename: building })))
  ).then(() => {
    renameSync(building, file)
    return file
  })
}
