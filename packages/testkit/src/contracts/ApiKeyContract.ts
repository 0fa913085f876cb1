import { ApiKey, ApiKeyRepo, ApiKeyUsage, ClientRepo, Ids, Tenancy, Transactor } from "@aidial/domain"
import { Deferred, Effect, Either, Layer, Option } from "effect"
import { describe, expect, it } from "vitest"
import { makeKey } from "../ApiKeyArbitraries.js"

/** What the suite needs: the two ports under test, the client store they join with, and transactions. */
export type Services = ApiKeyRepo.ApiKeyRepo | ApiKeyUsage.ApiKeyUsage | ClientRepo.ClientRepo | Transactor.Transactor

const digest = { version: 1, hex: "ab".repeat(32) }
const at = new Date("2026-02-01T10:00:00.000Z")

let counter = 0
/** Ids unique across runs, so that adapters sharing one database between tests do not collide. */
const unique = (): string => `${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 8)}`
const newKeyId = (): Ids.ApiKeyId => ApiKey.idOf(`${unique()}0000000000000000`.slice(0, ApiKey.keyIdLength))

const newClient = Effect.gen(function*() {
  const client = new Tenancy.Client({
    id: Ids.ClientId.make(`cli_${unique()}`),
    partnerOrgId: null,
    name: "Acme",
    status: "active",
    createdAt: at
  })
  yield* (yield* ClientRepo.ClientRepo).insert(client)
  return client
})

const insertKey = (clientId: Ids.ClientId, overrides: Parameters<typeof makeKey>[2] = {}) =>
  Effect.gen(function*() {
    const key = makeKey(clientId, newKeyId(), overrides)
    yield* (yield* ApiKeyRepo.ApiKeyRepo).insert({ key, digest })
    return key
  })

/** The contract every ApiKeyRepo + ApiKeyUsage adapter passes; `layer` is built afresh for each test. */
export const suite = <E>(name: string, layer: Layer.Layer<Services, E>) => {
  const run = <A, E2>(effect: Effect.Effect<A, E2, Services>) =>
    Effect.runPromise(Effect.scoped(Effect.provide(effect, layer)))

  describe(`${name}: ApiKeyRepo`, () => {
    it("returns a stored key's metadata as inserted, and none for an unknown id", () =>
      run(Effect.gen(function*() {
        const repo = yield* ApiKeyRepo.ApiKeyRepo
        const client = yield* newClient
        const key = yield* insertKey(client.id, {
          expiresAt: new Date("2026-05-01T00:00:00.000Z"),
          scope: "manage",
          environment: "test",
          description: "for the nightly sync"
        })
        expect(Option.getOrThrow(yield* repo.get(key.id))).toEqual(key)
        expect(Option.isNone(yield* repo.get(newKeyId()))).toBe(true)
      })))

    it("getWithin returns a key only under its own client and environment, and none for an unknown id", () =>
      run(Effect.gen(function*() {
        const repo = yield* ApiKeyRepo.ApiKeyRepo
        const client = yield* newClient
        const other = yield* newClient
        const key = yield* insertKey(client.id, { environment: "test" })
        expect(yield* repo.getWithin(key.id, client.id)).toEqual(yield* repo.get(key.id))
        expect(Option.getOrThrow(yield* repo.getWithin(key.id, client.id, "test"))).toEqual(key)
        expect(Option.isNone(yield* repo.getWithin(key.id, client.id, "live"))).toBe(true)
        expect(Option.isNone(yield* repo.getWithin(key.id, other.id))).toBe(true)
        expect(Option.isNone(yield* repo.getWithin(key.id, other.id, "test"))).toBe(true)
        expect(Option.isNone(yield* repo.getWithin(newKeyId(), client.id))).toBe(true)
      })))

    it("reads what verification needs in one call, including the client's current status", () =>
      run(Effect.gen(function*() {
        const repo = yield* ApiKeyRepo.ApiKeyRepo
        const clients = yield* ClientRepo.ClientRepo
        const client = yield* newClient
        const key = yield* insertKey(client.id, { expiresAt: new Date("2026-05-01T00:00:00.000Z"), scope: "manage" })
        expect(Option.getOrThrow(yield* repo.findForVerification(key.id))).toEqual({
          id: key.id,
          digest,
          status: "active",
          expiresAt: key.expiresAt,
          clientId: client.id,
          clientStatus: "active",
          scope: "manage",
          environment: "live"
        })
        yield* clients.update(new Tenancy.Client({ ...client, status: "archived" }))
        expect(Option.getOrThrow(yield* repo.findForVerification(key.id)).clientStatus).toBe("archived")
        expect(Option.isNone(yield* repo.findForVerification(newKeyId()))).toBe(true)
      })))

    it("reads a key's current state for verification however often it was read before a change", () =>
      run(Effect.gen(function*() {
        const repo = yield* ApiKeyRepo.ApiKeyRepo
        const clients = yield* ClientRepo.ClientRepo
        const client = yield* newClient
        const stateOf = (id: Ids.ApiKeyId) =>
          Effect.map(repo.findForVerification(id), Option.match({ onNone: () => "none", onSome: (v) => `${v.status}/${v.clientStatus}` }))
        const readOften = (id: Ids.ApiKeyId) =>
          Effect.forEach([1, 2, 3], () => stateOf(id)).pipe(Effect.map((states) => [...new Set(states)]))

        const revoked = yield* insertKey(client.id)
        expect(yield* readOften(revoked.id)).toEqual(["active/active"])
        yield* repo.revoke(revoked.id, "leaked", at)
        expect(yield* stateOf(revoked.id)).toBe("revoked/active")

        const rotated = yield* insertKey(client.id)
        expect(yield* readOften(rotated.id)).toEqual(["active/active"])
        const replacement = makeKey(client.id, newKeyId(), { rotatedFrom: rotated.id })
        yield* repo.rotate(rotated.id, { key: replacement, digest }, at)
        expect(yield* stateOf(rotated.id)).toBe("rotated/active")

        expect(yield* readOften(replacement.id)).toEqual(["active/active"])
        yield* clients.update(new Tenancy.Client({ ...client, status: "archived" }))
        expect(yield* stateOf(replacement.id)).toBe("active/archived")
      })))

    it("lists one client's keys in id order, page by page", () =>
      run(Effect.gen(function*() {
        const repo = yield* ApiKeyRepo.ApiKeyRepo
        const client = yield* newClient
        const other = yield* newClient
        const keys = [
          yield* insertKey(client.id),
          yield* insertKey(client.id),
          yield* insertKey(client.id),
          yield* insertKey(client.id, { status: "revoked", revokeReason: "leaked", disabledAt: at })
        ]
        yield* insertKey(other.id)
        const ids = keys.map((k) => k.id).sort()
        const first = yield* repo.list(client.id, { after: null, limit: 3 })
        expect(first.items.map((k) => k.id)).toEqual(ids.slice(0, 3))
        expect(first.next).toBe(ids[2])
        const second = yield* repo.list(client.id, { after: first.next, limit: 3 })
        expect(second.items.map((k) => k.id)).toEqual(ids.slice(3))
        expect(second.next).toBeNull()
      })))

    it("lists only one environment's keys when asked, page by page", () =>
      run(Effect.gen(function*() {
        const repo = yield* ApiKeyRepo.ApiKeyRepo
        const client = yield* newClient
        const live = [yield* insertKey(client.id, { environment: "live" }), yield* insertKey(client.id, { environment: "live" })]
        const test = [yield* insertKey(client.id, { environment: "test" }), yield* insertKey(client.id, { environment: "test" })]
        const first = yield* repo.list(client.id, { after: null, limit: 1 }, "test")
        const second = yield* repo.list(client.id, { after: first.next, limit: 1 }, "test")
        expect([...first.items, ...second.items].map((k) => k.id)).toEqual(test.map((k) => k.id).sort())
        expect(second.next).toBeNull()
        const lives = yield* repo.list(client.id, { after: null, limit: 50 }, "live")
        expect(lives.items.map((k) => k.id)).toEqual(live.map((k) => k.id).sort())
      })))

    it("rotates an active key once: the source is linked and disabled, the replacement stored", () =>
      run(Effect.gen(function*() {
        const repo = yield* ApiKeyRepo.ApiKeyRepo
        const client = yield* newClient
        const source = yield* insertKey(client.id)
        const replacement = makeKey(client.id, newKeyId(), { rotatedFrom: source.id })
        const rotated = yield* repo.rotate(source.id, { key: replacement, digest }, at)
        expect(rotated).toEqual(new ApiKey.ApiKey({ ...source, status: "rotated", rotatedTo: replacement.id, disabledAt: at }))
        expect(Option.getOrThrow(yield* repo.get(source.id))).toEqual(rotated)
        expect(Option.getOrThrow(yield* repo.get(replacement.id))).toEqual(replacement)

        const again = makeKey(client.id, newKeyId(), { rotatedFrom: source.id })
        const second = yield* Effect.either(repo.rotate(source.id, { key: again, digest }, at))
        expect(Either.isLeft(second) && second.left._tag).toBe("ApiKeyConflict")
        expect(Option.isNone(yield* repo.get(again.id))).toBe(true)
      })))

    it("revokes only an active key; rotated, revoked and missing keys are conflicts", () =>
      run(Effect.gen(function*() {
        const repo = yield* ApiKeyRepo.ApiKeyRepo
        const client = yield* newClient
        const key = yield* insertKey(client.id)
        const revoked = yield* repo.revoke(key.id, "leaked in a log", at)
        expect(revoked).toEqual(
          new ApiKey.ApiKey({ ...key, status: "revoked", revokeReason: "leaked in a log", disabledAt: at })
        )
        expect(Option.getOrThrow(yield* repo.get(key.id))).toEqual(revoked)

        const rotatedSource = yield* insertKey(client.id)
        yield* repo.rotate(rotatedSource.id, { key: makeKey(client.id, newKeyId()), digest }, at)
        const attempts = [
          repo.revoke(key.id, "again", at),
          repo.revoke(rotatedSource.id, "late", at),
          repo.revoke(newKeyId(), "missing", at),
          repo.rotate(key.id, { key: makeKey(client.id, newKeyId()), digest }, at)
        ]
        for (const attempt of attempts) {
          const result = yield* Effect.either(attempt)
          expect(Either.isLeft(result) && result.left._tag).toBe("ApiKeyConflict")
        }
        expect(Option.getOrThrow(yield* repo.get(key.id)).revokeReason).toBe("leaked in a log")
      })))

    it("undoes a rotation when its transaction fails", () =>
      run(Effect.gen(function*() {
        const repo = yield* ApiKeyRepo.ApiKeyRepo
        const tx = yield* Transactor.Transactor
        const client = yield* newClient
        const source = yield* insertKey(client.id)
        const replacement = makeKey(client.id, newKeyId(), { rotatedFrom: source.id })
        const result = yield* Effect.either(
          tx.withTransaction(Effect.zipRight(repo.rotate(source.id, { key: replacement, digest }, at), Effect.fail("boom")))
        )
        expect(Either.isLeft(result)).toBe(true)
        expect(Option.getOrThrow(yield* repo.get(source.id))).toEqual(source)
        expect(Option.isNone(yield* repo.get(replacement.id))).toBe(true)
      })))

    it("lets exactly one of 8 simultaneous rotations of one key win", () =>
      run(Effect.gen(function*() {
        const repo = yield* ApiKeyRepo.ApiKeyRepo
        const tx = yield* Transactor.Transactor
        const client = yield* newClient
        const source = yield* insertKey(client.id)
        const gate = yield* Deferred.make<void>()
        const replacements = Array.from({ length: 8 }, () => makeKey(client.id, newKeyId(), { rotatedFrom: source.id }))
        const racing = Effect.all(
          replacements.map((r) =>
            Effect.zipRight(
              Deferred.await(gate),
              Effect.either(tx.withTransaction(repo.rotate(source.id, { key: r, digest }, at)))
            )
          ),
          { concurrency: "unbounded" }
        )
        const fiber = yield* Effect.fork(racing)
        yield* Deferred.succeed(gate, undefined)
        const results = yield* fiber.await.pipe(Effect.flatten)
        expect(results.filter(Either.isRight)).toHaveLength(1)
        expect(results.filter((r) => Either.isLeft(r) && r.left._tag === "ApiKeyConflict")).toHaveLength(7)
        const page = yield* repo.list(client.id, { after: null, limit: 50 })
        expect(page.items.filter((k) => k.status === "active")).toHaveLength(1)
        expect(page.items).toHaveLength(2)
      })))
  })

  describe(`${name}: ApiKeyRepo races`, () => {
    it("lets exactly one of a rotation and a revocation released together win", () =>
      run(Effect.gen(function*() {
        const repo = yield* ApiKeyRepo.ApiKeyRepo
        const tx = yield* Transactor.Transactor
        const client = yield* newClient
        for (let round = 0; round < 10; round++) {
          const source = yield* insertKey(client.id)
          const replacement = makeKey(client.id, newKeyId(), { rotatedFrom: source.id })
          const gate = yield* Deferred.make<void>()
          const fiber = yield* Effect.fork(Effect.all([
            Effect.zipRight(
              Deferred.await(gate),
              Effect.either(tx.withTransaction(repo.rotate(source.id, { key: replacement, digest }, at)))
            ),
            Effect.zipRight(Deferred.await(gate), Effect.either(tx.withTransaction(repo.revoke(source.id, "race", at))))
          ], { concurrency: "unbounded" }))
          yield* Deferred.succeed(gate, undefined)
          const [rotation, revocation] = yield* Effect.flatten(fiber.await)
          expect([rotation, revocation].filter(Either.isRight)).toHaveLength(1)
          const after = Option.getOrThrow(yield* repo.get(source.id))
          expect(after.status).toBe(Either.isRight(rotation) ? "rotated" : "revoked")
          expect(Option.isSome(yield* repo.get(replacement.id))).toBe(Either.isRight(rotation))
        }
      })))
  })

  describe(`${name}: ApiKeyUsage`, () => {
    it("counts requests per bucket with status classes and codes, and keeps the last use", () =>
      run(Effect.gen(function*() {
        const usage = yield* ApiKeyUsage.ApiKeyUsage
        const key = newKeyId()
        const other = newKeyId()
        const t = (iso: string) => new Date(`2026-03-01T${iso}Z`)
        yield* usage.recordBatch([
          { keyId: key, at: t("10:00:05.000"), status: 200 },
          { keyId: key, at: t("10:00:59.999"), status: 201 },
          { keyId: key, at: t("10:01:00.000"), status: 404 },
          { keyId: key, at: t("11:30:00.000"), status: 503 },
          { keyId: other, at: t("10:00:30.000"), status: 200 }
        ])
        yield* usage.recordBatch([{ keyId: key, at: t("11:31:00.000"), status: 302 }])

        const minutes = yield* usage.query(key, "minute", t("10:00:00.000"), t("12:00:00.000"))
        expect(minutes.total).toBe(5)
        expect(minutes.lastUsedAt).toEqual(t("11:31:00.000"))
        expect(minutes.counts.map((c) => [c.start.toISOString(), c.total, c.success, c.clientError, c.serverError]))
          .toEqual([
            ["2026-03-01T10:00:00.000Z", 2, 2, 0, 0],
            ["2026-03-01T10:01:00.000Z", 1, 0, 1, 0],
            ["2026-03-01T11:30:00.000Z", 1, 0, 0, 1],
            ["2026-03-01T11:31:00.000Z", 1, 0, 0, 0]
          ])
        expect(minutes.counts[0]?.byStatus).toEqual({ "200": 1, "201": 1 })

        const hours = yield* usage.query(key, "hour", t("10:00:00.000"), t("11:31:00.000"))
        expect(hours.counts.map((c) => [c.start.toISOString(), c.total, c.byStatus])).toEqual([
          ["2026-03-01T10:00:00.000Z", 3, { "200": 1, "201": 1, "404": 1 }],
          ["2026-03-01T11:00:00.000Z", 1, { "503": 1 }]
        ])
        expect(hours.total).toBe(4)

        const days = yield* usage.query(key, "day", t("00:00:00.000"), new Date("2026-03-02T00:00:00.000Z"))
        expect(days.counts.map((c) => [c.start.toISOString(), c.total])).toEqual([["2026-03-01T00:00:00.000Z", 5]])

        const unused = newKeyId()
        const none = yield* usage.query(unused, "day", t("00:00:00.000"), t("23:00:00.000"))
        expect(none).toEqual({ keyId: unused, bucket: "day", counts: [], total: 0, lastUsedAt: null })

        const last = yield* usage.lastUsed([key, other, unused])
        expect(last.get(key)).toEqual(t("11:31:00.000"))
        expect(last.get(other)).toEqual(t("10:00:30.000"))
        expect(last.has(unused)).toBe(false)
      })))
  })
}
