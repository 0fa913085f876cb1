import { KyselyClient, Migrations } from "@aidial/adapters-sql"
import { ApiKey, ApiKeyRepo, ClientRepo, Ids, Tenancy } from "@aidial/domain"
import { ApiKeyArbitraries } from "@aidial/testkit"
import { Context, Effect, Layer, Option } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { apiKeyStore } from "./apiKeyLayers.js"

const dir = mkdtempSync(join(tmpdir(), "aidial-verify-cache-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let files = 0
const at = new Date("2026-04-01T08:00:00.000Z")
const digest = { version: 1, hex: "ab".repeat(32) }

/** Two independent stores on one SQLite file, as two processes sharing the database would have. */
const twoProcesses = Effect.gen(function*() {
  const file = join(dir, `keys-${files++}.sqlite`)
  const store = () =>
    apiKeyStore(Layer.effectDiscard(Migrations.migrate).pipe(Layer.provideMerge(KyselyClient.layerSqlite({ filename: file }))))
  const first = yield* Layer.build(store())
  const second = yield* Layer.build(store())
  return { first, second }
})

const statusSeenBy = (context: Context.Context<ApiKeyRepo.ApiKeyRepo>, id: Ids.ApiKeyId) =>
  Effect.map(
    Effect.provide(Effect.flatMap(ApiKeyRepo.ApiKeyRepo, (repo) => repo.findForVerification(id)), context),
    Option.map((v) => `${v.status}/${v.clientStatus}`)
  )

describe("SQLite verification read with remembered rows", () => {
  it("sees a revocation, rotation or archive committed by another process on the very next read", () =>
    Effect.runPromise(Effect.scoped(Effect.gen(function*() {
      const { first, second } = yield* twoProcesses
      const client = new Tenancy.Client({ id: Ids.ClientId.make("cli_cache"), partnerOrgId: null, name: "Cache", status: "active", createdAt: at })
      const revoked = ApiKeyArbitraries.makeKey(client.id, ApiKey.idOf("cacherevoke00001"))
      const rotated = ApiKeyArbitraries.makeKey(client.id, ApiKey.idOf("cacherotate00001"))
      yield* Effect.provide(Effect.gen(function*() {
        yield* (yield* ClientRepo.ClientRepo).insert(client)
        yield* (yield* ApiKeyRepo.ApiKeyRepo).insert({ key: revoked, digest })
        yield* (yield* ApiKeyRepo.ApiKeyRepo).insert({ key: rotated, digest })
      }), second)

      // Three reads before each change: a key is remembered from its second read on.
      for (let i = 0; i < 3; i++) expect(yield* statusSeenBy(first, revoked.id)).toEqual(Option.some("active/active"))
      yield* Effect.provide(Effect.flatMap(ApiKeyRepo.ApiKeyRepo, (repo) => repo.revoke(revoked.id, "leaked", at)), second)
      expect(yield* statusSeenBy(first, revoked.id)).toEqual(Option.some("revoked/active"))

      for (let i = 0; i < 3; i++) expect(yield* statusSeenBy(first, rotated.id)).toEqual(Option.some("active/active"))
      const replacement = ApiKeyArbitraries.makeKey(client.id, ApiKey.idOf("cacherotate00002"), { rotatedFrom: rotated.id })
      yield* Effect.provide(Effect.flatMap(ApiKeyRepo.ApiKeyRepo, (repo) => repo.rotate(rotated.id, { key: replacement, digest }, at)), first)
      expect(yield* statusSeenBy(first, rotated.id)).toEqual(Option.some("rotated/active"))

      for (let i = 0; i < 3; i++) expect(yield* statusSeenBy(first, replacement.id)).toEqual(Option.some("active/active"))
      yield* Effect.provide(
        Effect.flatMap(ClientRepo.ClientRepo, (repo) => repo.update(new Tenancy.Client({ ...client, status: "archived" }))),
        second
      )
      expect(yield* statusSeenBy(first, replacement.id)).toEqual(Option.some("active/archived"))
    })))
  )
})
