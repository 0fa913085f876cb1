import { NodeSecrets } from "@aidial/adapters-node"
import {
  ApiKey,
  ApiKeyRepo,
  ApiKeys,
  ApiKeyUsage,
  Audit,
  AuditLog,
  ClientRepo,
  Ids,
  PartnerOrgRepo,
  Principal,
  StorageError,
  Tenancy
} from "@aidial/domain"
import { Deferred, Effect, Either, Exit, Layer, Option, Redacted } from "effect"
import { describe, expect, it } from "vitest"
import {
  MemoryApiKeyRepo,
  MemoryApiKeyUsage,
  MemoryAuditLog,
  MemoryTenancy,
  MemoryTransactor,
  SequentialIds,
  TestClock
} from "../src/index.js"

const start = new Date("2026-01-01T00:00:00.000Z")
const day = 86_400_000

/** A fresh world per test (the test clock keeps its time in the layer's closure, so it is rebuilt too). */
const testEnv = () => Layer.mergeAll(
  MemoryApiKeyRepo.layerMemory,
  MemoryApiKeyUsage.layerMemory,
  MemoryAuditLog.layerMemory,
  MemoryTransactor.layerMemory,
  SequentialIds.layer,
  TestClock.layer(start),
  NodeSecrets.layer({ pepper: Redacted.make("test-pepper") }),
  Layer.succeed(Audit.CurrentRequest, { requestId: "req_test" })
).pipe(Layer.provideMerge(MemoryTenancy.layerMemory))

const run = <A, E>(effect: Effect.Effect<A, E, Layer.Layer.Success<ReturnType<typeof testEnv>>>) =>
  Effect.runPromise(Effect.provide(effect, testEnv()))

const org1 = Ids.PartnerOrgId.make("org_1")
const org2 = Ids.PartnerOrgId.make("org_2")
const client = (id: string, partnerOrgId: Ids.PartnerOrgId, status: Tenancy.ClientStatus = "active") =>
  new Tenancy.Client({ id: Ids.ClientId.make(id), partnerOrgId, name: id, status, createdAt: start })
const assigned = client("cli_a", org1)
const unassigned = client("cli_b", org1)
const foreign = client("cli_c", org2)
const archived = client("cli_d", org1, "archived")

const seed = Effect.gen(function*() {
  const orgs = yield* PartnerOrgRepo.PartnerOrgRepo
  for (const id of [org1, org2]) {
    yield* orgs.insert(new Tenancy.PartnerOrg({ id, name: id, description: "", status: "active", createdAt: start }))
  }
  const clients = yield* ClientRepo.ClientRepo
  for (const c of [assigned, unassigned, foreign, archived]) yield* clients.insert(c)
})

const user = Ids.UserId.make("usr_1")
const partnerAdmin = Principal.PartnerUser({
  userId: user,
  role: "partner_admin",
  partnerOrgId: org1,
  partnerOrgStatus: "active",
  assignedClientIds: new Set()
})
const partnerUser = Principal.PartnerUser({
  userId: Ids.UserId.make("usr_2"),
  role: "partner_user",
  partnerOrgId: org1,
  partnerOrgStatus: "active",
  assignedClientIds: new Set([assigned.id])
})
const admin = (selected: Ids.ClientId | null) =>
  Principal.PlatformUser({ userId: Ids.UserId.make("usr_3"), role: "aidial_admin", selectedClientId: selected })
const operator = Principal.PlatformUser({
  userId: Ids.UserId.make("usr_4"),
  role: "aidial_operator",
  selectedClientId: assigned.id
})
const customer = Principal.CustomerUser({ userId: Ids.UserId.make("usr_5"), role: "customer_admin", clientId: assigned.id })
const keyPrincipal = (scope: ApiKey.Scope) =>
  Principal.ApiKey({ keyId: Ids.ApiKeyId.make("key_x"), clientId: assigned.id, environment: "live", scope })

const createRequest = (overrides: Partial<ConstructorParameters<typeof ApiKeys.CreateRequest>[0]> = {}) =>
  new ApiKeys.CreateRequest({
    clientId: assigned.id,
    name: "Production app",
    description: "nightly sync",
    scope: "manage",
    environment: "live",
    expiry: { _tag: "Never" },
    ...overrides
  })

const rotateRequest = (keyId: Ids.ApiKeyId, expiry: Option.Option<ApiKey.Expiry> = Option.none()) =>
  new ApiKeys.RotateRequest({ clientId: assigned.id, keyId, expiry })
const revokeRequest = (keyId: Ids.ApiKeyId, reason = "no longer used") =>
  new ApiKeys.RevokeRequest({ clientId: assigned.id, keyId, reason })

const errorTag = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.either(effect), (r) => (Either.isLeft(r) ? r.left._tag : "ok"))

const allEvents = Effect.flatMap(AuditLog.AuditLog, (log) => log.query({}, { after: null, limit: 10_000 }))

describe("creating an API key", () => {
  it("returns the plaintext once with metadata, and the plaintext authenticates as that key", () =>
    run(Effect.gen(function*() {
      yield* seed
      const issued = yield* ApiKeys.create(partnerAdmin, createRequest({ scope: "read", environment: "test" }))
      const plaintext = Redacted.value(issued.plaintext)
      expect(issued.key).toMatchObject({
        clientId: assigned.id,
        name: "Production app",
        description: "nightly sync",
        scope: "read",
        environment: "test",
        status: "active",
        state: "active",
        createdAt: start,
        createdBy: { kind: "user", id: user },
        expiresAt: null,
        lastUsedAt: null,
        rotatedFrom: null,
        rotatedTo: null
      })
      expect(plaintext.startsWith(`${issued.key.prefix}_`)).toBe(true)
      expect(issued.key.prefix).toMatch(/^adk_test_[0-9A-Za-z]{16}$/)
      expect(JSON.stringify(issued)).not.toContain(plaintext)
      expect(JSON.stringify(issued.key)).not.toMatch(/hex|digest/)

      const principal = yield* ApiKeys.verify(issued.plaintext)
      expect(principal).toEqual(
        Principal.ApiKey({ keyId: issued.key.id, clientId: assigned.id, environment: "test", scope: "read" })
      )
    })))

  it("sets the expiry from a period, a date, or never, and refuses a date in the past", () =>
    run(Effect.gen(function*() {
      yield* seed
      for (const days of [30, 90, 180] as const) {
        const issued = yield* ApiKeys.create(partnerAdmin, createRequest({ expiry: { _tag: "InDays", days } }))
        expect(issued.key.expiresAt).toEqual(new Date(start.getTime() + days * day))
      }
      const at = new Date("2026-03-15T12:00:00.000Z")
      expect((yield* ApiKeys.create(partnerAdmin, createRequest({ expiry: { _tag: "At", at } }))).key.expiresAt)
        .toEqual(at)
      expect(yield* errorTag(ApiKeys.create(partnerAdmin, createRequest({ expiry: { _tag: "At", at: start } }))))
        .toBe("InvalidExpiry")
    })))

  it("records an audit event with actor, target, client, outcome, time and request id, and no secret", () =>
    run(Effect.gen(function*() {
      yield* seed
      const issued = yield* ApiKeys.create(partnerAdmin, createRequest())
      const events = (yield* allEvents).items
      expect(events).toHaveLength(1)
      expect(events[0]).toMatchObject({
        actor: { kind: "user", id: user },
        action: "apikey.create",
        targetType: "api_key",
        targetId: issued.key.id,
        clientId: assigned.id,
        partnerOrgId: org1,
        outcome: "success",
        at: start,
        requestId: "req_test"
      })
      expect(JSON.stringify(events)).not.toContain(Redacted.value(issued.plaintext))
      expect(yield* (yield* MemoryApiKeyRepo.StoredRows).dump).not.toContain(Redacted.value(issued.plaintext))
    })))
  it("stores no key when the audit append after the insert fails: insert and audit are one transaction", () =>
    run(Effect.gen(function*() {
      yield* seed
      const log = yield* AuditLog.AuditLog
      const failing = AuditLog.AuditLog.of({
        append: () => Effect.fail(new StorageError.StorageError({ message: "audit log down" })),
        query: log.query
      })
      const rows = yield* MemoryApiKeyRepo.StoredRows
      const before = yield* rows.dump
      const error = yield* Effect.flip(
        ApiKeys.create(partnerAdmin, createRequest()).pipe(Effect.provideService(AuditLog.AuditLog, failing))
      )
      expect(error._tag).toBe("StorageError")
      expect(yield* rows.dump).toEqual(before)
      expect((yield* (yield* ApiKeyRepo.ApiKeyRepo).list(assigned.id, { after: null, limit: 100 })).items).toEqual([])
    })))
})

describe("who may manage and view keys (through authorize)", () => {
  const createAs = (principal: Principal.Principal, clientId: Ids.ClientId = assigned.id) =>
    errorTag(ApiKeys.create(principal, createRequest({ clientId })))

  it("lets only bearer admins create, for a client in scope and explicitly selected", () =>
    run(Effect.gen(function*() {
      yield* seed
      expect(yield* createAs(admin(assigned.id))).toBe("ok")
      expect(yield* createAs(admin(null))).toBe("NotFound")
      expect(yield* createAs(admin(unassigned.id))).toBe("NotFound")
      expect(yield* createAs(operator)).toBe("Forbidden")
      expect(yield* createAs(partnerAdmin)).toBe("ok")
      expect(yield* createAs(partnerAdmin, unassigned.id)).toBe("ok")
      expect(yield* createAs(partnerAdmin, foreign.id)).toBe("NotFound")
      expect(yield* createAs(partnerAdmin, archived.id)).toBe("NotFound")
      expect(yield* createAs(partnerAdmin, Ids.ClientId.make("cli_missing"))).toBe("NotFound")
      expect(yield* createAs(partnerUser)).toBe("Forbidden")
      expect(yield* createAs(partnerUser, unassigned.id)).toBe("NotFound")
      expect(yield* createAs(customer)).toBe("Forbidden")
      expect(yield* createAs(keyPrincipal("manage"))).toBe("Forbidden")
      expect(yield* createAs(keyPrincipal("read"))).toBe("Forbidden")
      expect(yield* createAs(keyPrincipal("manage"), unassigned.id)).toBe("NotFound")
    })))

  it("keeps rotation and revocation bearer-only: key principals, operators and partner users are refused", () =>
    run(Effect.gen(function*() {
      yield* seed
      const issued = yield* ApiKeys.create(partnerAdmin, createRequest())
      const manageKey = yield* ApiKeys.verify(issued.plaintext)
      for (const principal of [manageKey, keyPrincipal("read"), operator, partnerUser, customer]) {
        expect(yield* errorTag(ApiKeys.rotate(principal, rotateRequest(issued.key.id)))).toBe("Forbidden")
        expect(yield* errorTag(ApiKeys.revoke(principal, revokeRequest(issued.key.id)))).toBe("Forbidden")
      }
      expect((yield* ApiKeys.get(partnerAdmin, assigned.id, issued.key.id)).state).toBe("active")
    })))

  it("lets viewers read metadata: an API key its own client's keys, customers none, outsiders see nothing", () =>
    run(Effect.gen(function*() {
      yield* seed
      const issued = yield* ApiKeys.create(partnerAdmin, createRequest())
      const other = yield* ApiKeys.create(partnerAdmin, createRequest({ clientId: unassigned.id }))
      const page = { after: null, limit: 50 }
      const self = yield* ApiKeys.verify(issued.plaintext)
      for (const viewer of [self, keyPrincipal("read"), partnerUser, operator, admin(assigned.id), partnerAdmin]) {
        const listed = yield* ApiKeys.list(viewer, assigned.id, page)
        expect(listed.items.map((k) => k.id)).toEqual([issued.key.id])
        expect((yield* ApiKeys.get(viewer, assigned.id, issued.key.id)).id).toBe(issued.key.id)
      }
      expect(yield* errorTag(ApiKeys.list(customer, assigned.id, page))).toBe("Forbidden")
      expect(yield* errorTag(ApiKeys.list(self, unassigned.id, page))).toBe("NotFound")
      expect(yield* errorTag(ApiKeys.list(partnerUser, unassigned.id, page))).toBe("NotFound")
      expect(yield* errorTag(ApiKeys.get(self, unassigned.id, other.key.id))).toBe("NotFound")
      // a key of another client asked for under a visible client is as missing as an unknown id
      expect(yield* errorTag(ApiKeys.get(partnerAdmin, assigned.id, other.key.id))).toBe("NotFound")
      expect(yield* errorTag(ApiKeys.get(partnerAdmin, assigned.id, Ids.ApiKeyId.make("key_nope")))).toBe("NotFound")
    })))

  it("audits refused lifecycle requests as denied, with no key material", () =>
    run(Effect.gen(function*() {
      yield* seed
      yield* Effect.either(ApiKeys.create(operator, createRequest()))
      yield* Effect.either(ApiKeys.create(partnerAdmin, createRequest({ clientId: foreign.id })))
      const events = (yield* allEvents).items
      expect(events.map((e) => [e.action, e.outcome, e.details["error"], e.details["requestedClientId"]])).toEqual([
        ["apikey.create", "denied", "Forbidden", assigned.id],
        ["apikey.create", "denied", "NotFound", foreign.id]
      ])
      expect(events.every((e) => e.clientId === null && e.requestId === "req_test")).toBe(true)
    })))
})

describe("rotating a key", () => {
  it("replaces it with the same client, scope, environment, name and description, linked both ways", () =>
    run(Effect.gen(function*() {
      yield* seed
      const source = yield* ApiKeys.create(
        partnerAdmin,
        createRequest({ scope: "read", environment: "test", expiry: { _tag: "InDays", days: 90 } })
      )
      yield* (yield* TestClock.TestClock).advance(day)
      const rotated = yield* ApiKeys.rotate(admin(assigned.id), rotateRequest(source.key.id))
      expect(rotated.key).toMatchObject({
        clientId: assigned.id,
        scope: "read",
        environment: "test",
        name: source.key.name,
        description: source.key.description,
        expiresAt: source.key.expiresAt,
        rotatedFrom: source.key.id,
        rotatedTo: null,
        state: "active",
        createdAt: new Date(start.getTime() + day),
        createdBy: { kind: "user", id: "usr_3" }
      })
      expect(rotated.key.id).not.toBe(source.key.id)
      expect(rotated.previous).toMatchObject({ id: source.key.id, status: "rotated", rotatedTo: rotated.key.id })
      expect(yield* errorTag(ApiKeys.verify(source.plaintext))).toBe("InvalidApiKey")
      expect((yield* ApiKeys.verify(rotated.plaintext)).keyId).toBe(rotated.key.id)
      const events = (yield* allEvents).items.filter((e) => e.action === "apikey.rotate")
      expect(events).toHaveLength(1)
      expect(events[0]).toMatchObject({ targetId: source.key.id, outcome: "success", details: { replacement: rotated.key.id } })
    })))

  it("sets a new expiry when the request gives one", () =>
    run(Effect.gen(function*() {
      yield* seed
      const source = yield* ApiKeys.create(partnerAdmin, createRequest({ expiry: { _tag: "InDays", days: 30 } }))
      const rotated = yield* ApiKeys.rotate(partnerAdmin, rotateRequest(source.key.id, Option.some({ _tag: "Never" })))
      expect(rotated.key.expiresAt).toBeNull()
      const again = yield* ApiKeys.rotate(
        partnerAdmin,
        rotateRequest(rotated.key.id, Option.some({ _tag: "InDays", days: 180 }))
      )
      expect(again.key.expiresAt).toEqual(new Date(start.getTime() + 180 * day))
    })))

  it("refuses to rotate a rotated, revoked or expired key with a conflict", () =>
    run(Effect.gen(function*() {
      yield* seed
      const rotatedAway = yield* ApiKeys.create(partnerAdmin, createRequest())
      yield* ApiKeys.rotate(partnerAdmin, rotateRequest(rotatedAway.key.id))
      const revoked = yield* ApiKeys.create(partnerAdmin, createRequest())
      yield* ApiKeys.revoke(partnerAdmin, revokeRequest(revoked.key.id))
      const expiring = yield* ApiKeys.create(partnerAdmin, createRequest({ expiry: { _tag: "InDays", days: 30 } }))
      yield* (yield* TestClock.TestClock).advance(30 * day)
      for (const id of [rotatedAway.key.id, revoked.key.id, expiring.key.id]) {
        expect(yield* errorTag(ApiKeys.rotate(partnerAdmin, rotateRequest(id)))).toBe("ApiKeyConflict")
      }
      const active = (yield* ApiKeys.list(partnerAdmin, assigned.id, { after: null, limit: 50 })).items
        .filter((k) => k.state === "active")
      expect(active).toHaveLength(1)
    })))

  it("lets exactly one of 8 simultaneous rotations win; the other 7 get ApiKeyConflict", () =>
    run(Effect.gen(function*() {
      yield* seed
      const source = yield* ApiKeys.create(partnerAdmin, createRequest())
      const gate = yield* Deferred.make<void>()
      const fiber = yield* Effect.fork(Effect.all(
        Array.from({ length: 8 }, () =>
          Effect.zipRight(Deferred.await(gate), errorTag(ApiKeys.rotate(partnerAdmin, rotateRequest(source.key.id))))),
        { concurrency: "unbounded" }
      ))
      yield* Deferred.succeed(gate, undefined)
      const outcomes = yield* Effect.flatten(fiber.await)
      expect(outcomes.filter((o) => o === "ok")).toHaveLength(1)
      expect(outcomes.filter((o) => o === "ApiKeyConflict")).toHaveLength(7)
      const keys = (yield* ApiKeys.list(partnerAdmin, assigned.id, { after: null, limit: 50 })).items
      expect(keys).toHaveLength(2)
      expect(keys.filter((k) => k.state === "active").map((k) => k.rotatedFrom)).toEqual([source.key.id])
      const events = (yield* allEvents).items.filter((e) => e.action === "apikey.rotate")
      expect(events.filter((e) => e.outcome === "success")).toHaveLength(1)
      expect(events.filter((e) => e.outcome === "failure" && e.details["error"] === "ApiKeyConflict")).toHaveLength(7)
    })))

  it("leaves exactly one outcome when a rotation races a revocation", () =>
    run(Effect.gen(function*() {
      yield* seed
      for (let round = 0; round < 10; round++) {
        const source = yield* ApiKeys.create(partnerAdmin, createRequest())
        const gate = yield* Deferred.make<void>()
        const fiber = yield* Effect.fork(Effect.all([
          Effect.zipRight(Deferred.await(gate), errorTag(ApiKeys.rotate(partnerAdmin, rotateRequest(source.key.id)))),
          Effect.zipRight(Deferred.await(gate), errorTag(ApiKeys.revoke(partnerAdmin, revokeRequest(source.key.id))))
        ], { concurrency: "unbounded" }))
        yield* Deferred.succeed(gate, undefined)
        const [rotation, revocation] = yield* Effect.flatten(fiber.await)
        expect([rotation, revocation].filter((o) => o === "ok")).toHaveLength(1)
        expect([rotation, revocation].filter((o) => o === "ApiKeyConflict")).toHaveLength(1)
        const after = yield* ApiKeys.get(partnerAdmin, assigned.id, source.key.id)
        expect(after.state).toBe(rotation === "ok" ? "rotated" : "revoked")
      }
    })))
})

describe("revoking a key", () => {
  it("disables it permanently with its reason; it never verifies again and cannot be revoked or rotated", () =>
    run(Effect.gen(function*() {
      yield* seed
      const issued = yield* ApiKeys.create(partnerAdmin, createRequest())
      const revoked = yield* ApiKeys.revoke(partnerAdmin, revokeRequest(issued.key.id, "leaked in a build log"))
      expect(revoked).toMatchObject({ status: "revoked", state: "revoked", revokeReason: "leaked in a build log", disabledAt: start })
      expect(yield* errorTag(ApiKeys.verify(issued.plaintext))).toBe("InvalidApiKey")
      yield* (yield* TestClock.TestClock).advance(365 * day)
      expect(yield* errorTag(ApiKeys.verify(issued.plaintext))).toBe("InvalidApiKey")
      expect(yield* errorTag(ApiKeys.revoke(partnerAdmin, revokeRequest(issued.key.id)))).toBe("ApiKeyConflict")
      expect(yield* errorTag(ApiKeys.rotate(partnerAdmin, rotateRequest(issued.key.id)))).toBe("ApiKeyConflict")
      const event = (yield* allEvents).items.find((e) => e.action === "apikey.revoke" && e.outcome === "success")
      expect(event).toMatchObject({ targetId: issued.key.id, details: { reason: "leaked in a build log" } })
    })))

  it("can revoke an expired key", () =>
    run(Effect.gen(function*() {
      yield* seed
      const issued = yield* ApiKeys.create(partnerAdmin, createRequest({ expiry: { _tag: "InDays", days: 30 } }))
      yield* (yield* TestClock.TestClock).advance(31 * day)
      expect((yield* ApiKeys.get(partnerAdmin, assigned.id, issued.key.id)).state).toBe("expired")
      expect((yield* ApiKeys.revoke(partnerAdmin, revokeRequest(issued.key.id))).state).toBe("revoked")
    })))
})

describe("verifying a key", () => {
  it("stops authenticating at the expiry instant, with no job", () =>
    run(Effect.gen(function*() {
      yield* seed
      const issued = yield* ApiKeys.create(partnerAdmin, createRequest({ expiry: { _tag: "InDays", days: 30 } }))
      const clock = yield* TestClock.TestClock
      yield* clock.advance(30 * day - 1)
      expect(yield* errorTag(ApiKeys.verify(issued.plaintext))).toBe("ok")
      yield* clock.advance(1)
      expect(yield* errorTag(ApiKeys.verify(issued.plaintext))).toBe("InvalidApiKey")
    })))

  it("authenticates nothing for an archived client", () =>
    run(Effect.gen(function*() {
      yield* seed
      const issued = yield* ApiKeys.create(partnerAdmin, createRequest())
      yield* (yield* ClientRepo.ClientRepo).update(new Tenancy.Client({ ...assigned, status: "archived" }))
      expect(yield* errorTag(ApiKeys.verify(issued.plaintext))).toBe("InvalidApiKey")
    })))

  it("fails the same way whatever the reason, and audits each failure with its reason and no secret", () =>
    run(Effect.gen(function*() {
      yield* seed
      const live = yield* ApiKeys.create(partnerAdmin, createRequest())
      const revoked = yield* ApiKeys.create(partnerAdmin, createRequest())
      yield* ApiKeys.revoke(partnerAdmin, revokeRequest(revoked.key.id))
      const text = Redacted.value(live.plaintext)
      const keyId = live.key.prefix.slice(9)
      const forged = ApiKey.format("live", keyId, "A".repeat(ApiKey.secretLength))
      const unknown = ApiKey.format("live", "Z".repeat(16), "A".repeat(ApiKey.secretLength))
      const flipped = text.slice(0, -1) + (text.endsWith("0") ? "1" : "0")
      const attempts: ReadonlyArray<[string, string]> = [
        ["not a key", "malformed"],
        [flipped, "checksum"],
        [unknown, "unknown"],
        [forged, "mismatch"],
        [Redacted.value(revoked.plaintext), "revoked"]
      ]
      const before = (yield* allEvents).items.length
      for (const [candidate] of attempts) {
        const exit = yield* Effect.exit(ApiKeys.verify(Redacted.make(candidate)))
        expect(exit).toEqual(Exit.fail(new ApiKey.InvalidApiKey()))
      }
      const events = (yield* allEvents).items.slice(before)
      expect(events.map((e) => [e.action, e.outcome, e.details["reason"]])).toEqual(
        attempts.map(([, reason]) => ["apikey.verify", "denied", reason])
      )
      expect(events.every((e) => e.requestId === "req_test" && e.actor.kind === "anonymous")).toBe(true)
      const serialised = JSON.stringify(events)
      for (const [candidate] of attempts.slice(1)) expect(serialised).not.toContain(candidate)
      expect(serialised).not.toContain(text)
    })))

  it("writes nothing on success (verification only reads)", () =>
    run(Effect.gen(function*() {
      yield* seed
      const issued = yield* ApiKeys.create(partnerAdmin, createRequest())
      const stored = yield* MemoryApiKeyRepo.StoredRows
      const rowsBefore = yield* stored.dump
      const eventsBefore = (yield* allEvents).items.length
      const verifier = yield* ApiKeys.makeVerifier
      for (let i = 0; i < 100; i++) yield* verifier(issued.plaintext, { requestId: "req_verify" })
      expect(yield* stored.dump).toBe(rowsBefore)
      expect((yield* allEvents).items).toHaveLength(eventsBefore)
    })))
})

describe("key inventory", () => {
  it("lists every state in id order, page by page, with last use from the usage store", () =>
    run(Effect.gen(function*() {
      yield* seed
      const created = []
      for (let i = 0; i < 5; i++) created.push(yield* ApiKeys.create(partnerAdmin, createRequest({ name: `key ${i}` })))
      const [first, second] = created
      if (first === undefined || second === undefined) return expect.fail("keys were not created")
      yield* ApiKeys.revoke(partnerAdmin, revokeRequest(first.key.id))
      const usedAt = new Date(start.getTime() + 5_000)
      yield* (yield* ApiKeyUsage.ApiKeyUsage).recordBatch([{ keyId: second.key.id, at: usedAt, status: 200 }])
      const ids = created.map((k) => k.key.id).sort()
      const page1 = yield* ApiKeys.list(partnerAdmin, assigned.id, { after: null, limit: 3 })
      const page2 = yield* ApiKeys.list(partnerAdmin, assigned.id, { after: page1.next, limit: 3 })
      expect([...page1.items, ...page2.items].map((k) => k.id)).toEqual(ids)
      expect(page2.next).toBeNull()
      const all = new Map([...page1.items, ...page2.items].map((k) => [k.id, k]))
      expect(all.get(first.key.id)?.state).toBe("revoked")
      expect(all.get(second.key.id)?.lastUsedAt).toEqual(usedAt)
      expect((yield* ApiKeys.get(partnerAdmin, assigned.id, second.key.id)).lastUsedAt).toEqual(usedAt)
      const oneDay = { bucket: "day", from: start, to: new Date(start.getTime() + day) } as const
      const { report } = yield* ApiKeys.usage(partnerAdmin, assigned.id, second.key.id, oneDay)
      expect(report.total).toBe(1)
      expect(yield* errorTag(ApiKeys.usage(customer, assigned.id, second.key.id, oneDay))).toBe("Forbidden")
      expect(yield* errorTag(ApiKeys.usage(partnerAdmin, assigned.id, second.key.id, { bucket: "day", from: start, to: start })))
        .toBe("InvalidUsageRange")
      const eightDays = { bucket: "minute", from: start, to: new Date(start.getTime() + 8 * day) } as const
      expect(yield* errorTag(ApiKeys.usage(partnerAdmin, assigned.id, second.key.id, eightDays))).toBe("InvalidUsageRange")
    })))

  it("never stores or returns the plaintext or the digest in metadata", () =>
    run(Effect.gen(function*() {
      yield* seed
      const issued = yield* ApiKeys.create(partnerAdmin, createRequest())
      const text = Redacted.value(issued.plaintext)
      const stored = Option.getOrThrow(yield* (yield* ApiKeyRepo.ApiKeyRepo).findForVerification(issued.key.id))
      const listed = yield* ApiKeys.list(partnerAdmin, assigned.id, { after: null, limit: 10 })
      const rendered = JSON.stringify([listed, yield* ApiKeys.get(partnerAdmin, assigned.id, issued.key.id)])
      expect(rendered).not.toContain(text)
      expect(rendered).not.toContain(stored.digest.hex)
      expect(yield* (yield* MemoryApiKeyRepo.StoredRows).dump).not.toContain(text)
    })))
})
