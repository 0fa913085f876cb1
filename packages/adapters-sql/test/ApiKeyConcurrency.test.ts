import { KyselyClient, Migrations } from "@aidial/adapters-sql"
import { ApiKey, ApiKeyRepo, ApiKeyUsage, ClientRepo, Ids, Tenancy, Transactor } from "@aidial/domain"
import { ApiKeyArbitraries } from "@aidial/testkit"
import { Deferred, Effect, Either, Layer } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { apiKeyStore } from "./apiKeyLayers.js"
import { pgTestLayer } from "./pgLayer.js"

const dir = mkdtempSync(join(tmpdir(), "aidial-apikeys-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let files = 0
/** A migrated SQLite file database (WAL, with its read-only verification connection), one per test. */
const sqliteFileLayer = () =>
  Layer.effectDiscard(Migrations.migrate).pipe(
    Layer.provideMerge(KyselyClient.layerSqlite({ filename: join(dir, `keys-${files++}.sqlite`) }))
  )

const digest = { version: 1, hex: "cd".repeat(32) }
const at = new Date("2026-04-01T08:00:00.000Z")
let ids = 0
const newKeyId = () => ApiKey.idOf(`race${(ids++).toString().padStart(12, "0")}`)

const setup = Effect.gen(function*() {
  const client = new Tenancy.Client({
    id: Ids.ClientId.make(`cli_race${ids++}`),
    partnerOrgId: null,
    name: "Race",
    status: "active",
    createdAt: at
  })
  yield* (yield* ClientRepo.ClientRepo).insert(client)
  const source = ApiKeyArbitraries.makeKey(client.id, newKeyId())
  yield* (yield* ApiKeyRepo.ApiKeyRepo).insert({ key: source, digest })
  return { client, source }
})

/** Runs every effect at once, released together by one gate. */
const together = <A, E, R>(effects: ReadonlyArray<Effect.Effect<A, E, R>>) =>
  Effect.gen(function*() {
    const gate = yield* Deferred.make<void>()
    const fiber = yield* Effect.fork(
      Effect.all(effects.map((e) => Effect.zipRight(Deferred.await(gate), Effect.either(e))), { concurrency: "unbounded" })
    )
    yield* Deferred.succeed(gate, undefined)
    return yield* fiber.await.pipe(Effect.flatten)
  })

const races = <E>(name: string, makeLayer: () => Layer.Layer<KyselyClient.KyselyClient, E>) =>
  describe(`${name}: API-key races`, () => {
    const run = <A, E2>(
      effect: Effect.Effect<
        A,
        E2,
        ApiKeyRepo.ApiKeyRepo | ApiKeyUsage.ApiKeyUsage | ClientRepo.ClientRepo | Transactor.Transactor
      >
    ) => Effect.runPromise(Effect.scoped(Effect.provide(effect, apiKeyStore(makeLayer()))))

    it("lets exactly one of 8 rotations released together win, leaving one active replacement", () =>
      run(Effect.gen(function*() {
        const repo = yield* ApiKeyRepo.ApiKeyRepo
        const { client, source } = yield* setup
        const results = yield* together(Array.from({ length: 8 }, () =>
          repo.rotate(source.id, {
            key: ApiKeyArbitraries.makeKey(client.id, newKeyId(), { rotatedFrom: source.id }),
            digest
          }, at)))
        expect(results.filter(Either.isRight)).toHaveLength(1)
        expect(results.filter((r) => Either.isLeft(r) && r.left._tag === "ApiKeyConflict")).toHaveLength(7)
        const keys = (yield* repo.list(client.id, { after: null, limit: 50 })).items
        expect(keys.filter((k) => k.rotatedFrom === source.id)).toHaveLength(1)
        expect(keys.filter((k) => k.status === "active")).toHaveLength(1)
      })))

    it("gives a rotation racing a revocation exactly one outcome", () =>
      run(Effect.gen(function*() {
        const repo = yield* ApiKeyRepo.ApiKeyRepo
        const { client, source } = yield* setup
        const replacement = ApiKeyArbitraries.makeKey(client.id, newKeyId(), { rotatedFrom: source.id })
        const [rotated, revoked] = yield* together<ApiKey.ApiKey, ApiKey.ApiKeyConflict | unknown, ApiKeyRepo.ApiKeyRepo>([
          repo.rotate(source.id, { key: replacement, digest }, at),
          repo.revoke(source.id, "leaked", at)
        ])
        expect([rotated, revoked].filter((r) => r !== undefined && Either.isRight(r))).toHaveLength(1)
        const stored = (yield* repo.get(source.id)).pipe((o) => (o._tag === "Some" ? o.value : null))
        const replacementStored = (yield* repo.get(replacement.id))._tag === "Some"
        if (rotated !== undefined && Either.isRight(rotated)) {
          expect(stored?.status).toBe("rotated")
          expect(replacementStored).toBe(true)
        } else {
          expect(stored?.status).toBe("revoked")
          expect(replacementStored).toBe(false)
        }
      })))

    it("never undoes a revocation, whatever races it afterwards", () =>
      run(Effect.gen(function*() {
        const repo = yield* ApiKeyRepo.ApiKeyRepo
        const { client, source } = yield* setup
        yield* repo.revoke(source.id, "compromised", at)
        const results = yield* together([
          ...Array.from({ length: 4 }, () =>
            repo.rotate(source.id, { key: ApiKeyArbitraries.makeKey(client.id, newKeyId()), digest }, at)),
          ...Array.from({ length: 4 }, () => repo.revoke(source.id, "again", at))
        ])
        expect(results.every((r) => Either.isLeft(r) && r.left._tag === "ApiKeyConflict")).toBe(true)
        const stored = yield* repo.get(source.id)
        expect(stored._tag === "Some" && [stored.value.status, stored.value.revokeReason]).toEqual(["revoked", "compromised"])
        expect((yield* repo.list(client.id, { after: null, limit: 50 })).items).toHaveLength(1)
      })))

    it("reads back exactly the counts of N recorded requests with known statuses after a flush", () =>
      run(Effect.gen(function*() {
        const usage = yield* ApiKeyUsage.ApiKeyUsage
        const key = newKeyId()
        const statuses = [200, 201, 204, 301, 400, 401, 404, 429, 500, 503]
        const n = 2500
        const entries = Array.from({ length: n }, (_, i) => ({
          keyId: key,
          at: new Date(at.getTime() + i * 1_500),
          status: statuses[i % statuses.length] ?? 200
        }))
        yield* Effect.all([usage.recordBatch(entries.slice(0, 1200)), usage.recordBatch(entries.slice(1200))], {
          concurrency: "unbounded"
        })
        const day = yield* usage.query(key, "day", new Date("2026-04-01T00:00:00.000Z"), new Date("2026-04-02T00:00:00.000Z"))
        expect(day.total).toBe(n)
        const byStatus = day.counts[0]?.byStatus
        for (const s of statuses) expect(byStatus?.[String(s)]).toBe(n / statuses.length)
        expect(day.counts[0]?.success).toBe(n * 3 / 10)
        expect(day.counts[0]?.clientError).toBe(n * 4 / 10)
        expect(day.counts[0]?.serverError).toBe(n * 2 / 10)
        expect(day.lastUsedAt).toEqual(entries[n - 1]?.at)
        const minutes = yield* usage.query(key, "minute", at, new Date(at.getTime() + n * 1_500))
        expect(minutes.counts).toHaveLength(Math.ceil(n * 1_500 / 60_000))
        expect(minutes.counts.every((c) => c.total === 40 || c === minutes.counts[minutes.counts.length - 1])).toBe(true)
      })))
  })

races("SQLite file", sqliteFileLayer)
races("PostgreSQL", pgTestLayer)
