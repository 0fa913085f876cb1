import { describe, expect, it } from "@effect/vitest"
import { AuditTrail, Clients, Ids, Principal } from "@aidial/domain"
import { Effect } from "effect"
import { TestClock } from "../src/TestClock.js"
import { bootstrap, join, layer, platformUser, refusedUnchanged } from "./support/Fixture.js"

const all = { after: null, limit: 1000 }

const world = Effect.gen(function*() {
  const a = yield* bootstrap("Org A")
  const b = yield* bootstrap("Org B")
  const a1 = yield* Clients.provision(a.admin.principal, { name: "A1", partnerOrgId: a.org.id })
  yield* (yield* TestClock).advance(60_000)
  const b1 = yield* Clients.provision(b.admin.principal, { name: "B1", partnerOrgId: b.org.id })
  const direct = yield* Clients.provision(a.platform, { name: "Direct", partnerOrgId: null })
  return { a, b, a1, b1, direct }
})

describe("querying the audit trail", () => {
  it.effect("shows a partner_admin their organisation's and its clients' events only", () =>
    Effect.gen(function*() {
      const { a, a1, b1, direct } = yield* world
      const page = yield* AuditTrail.query(a.admin.principal, {}, all)
      expect(page.items.length).toBeGreaterThan(0)
      expect(page.items.every((e) => e.partnerOrgId === a.org.id)).toBe(true)
      expect(page.items.some((e) => e.clientId === a1.id)).toBe(true)
      expect(page.items.some((e) => e.clientId === b1.id || e.clientId === direct.id)).toBe(false)
      yield* refusedUnchanged(AuditTrail.query(a.admin.principal, { clientId: b1.id }, all), "NotFound")
      const own = yield* AuditTrail.query(a.admin.principal, { clientId: a1.id }, all)
      expect(own.items.map((e) => e.action)).toEqual(["client.provision"])
    }).pipe(Effect.provide(layer())))

  it.effect("shows platform users everything, or only their selected client", () =>
    Effect.gen(function*() {
      const { b1, direct } = yield* world
      const operator = yield* platformUser("aidial_operator")
      const everything = yield* AuditTrail.query(operator, {}, all)
      expect(everything.items.some((e) => e.clientId === direct.id)).toBe(true)
      expect(everything.items.some((e) => e.clientId === b1.id)).toBe(true)
      const selected = yield* platformUser("aidial_admin", direct.id)
      const scoped = yield* AuditTrail.query(selected, {}, all)
      expect(scoped.items.length).toBeGreaterThan(0)
      expect(scoped.items.every((e) => e.clientId === direct.id)).toBe(true)
      yield* refusedUnchanged(AuditTrail.query(selected, { clientId: b1.id }, all), "NotFound")
    }).pipe(Effect.provide(layer())))

  it.effect("filters by actor, action and time range, and pages", () =>
    Effect.gen(function*() {
      const { a, b } = yield* world
      const operator = yield* platformUser("aidial_operator")
      const byB = yield* AuditTrail.query(operator, { actorId: b.admin.user.id }, all)
      expect(byB.items.map((e) => e.action)).toEqual(["team.invitation.accept", "partner.activate", "client.provision"])
      const provisions = yield* AuditTrail.query(operator, { action: "partner.provision" }, all)
      expect(provisions.items.length).toBe(2)
      const later = yield* AuditTrail.query(operator, { from: new Date("2026-01-01T00:01:00.000Z") }, all)
      expect(later.items.map((e) => e.action)).toEqual(["client.provision", "client.provision"])
      const earlier = yield* AuditTrail.query(operator, { to: new Date("2026-01-01T00:01:00.000Z") }, all)
      expect(earlier.items.length + later.items.length).toBe((yield* AuditTrail.query(operator, {}, all)).items.length)
      const first = yield* AuditTrail.query(operator, {}, { after: null, limit: 2 })
      const second = yield* AuditTrail.query(operator, {}, { after: first.next, limit: 2 })
      expect(first.items.length).toBe(2)
      expect(second.items[0]?.id).not.toBe(first.items[1]?.id)
      expect(a.org.id).not.toBe(b.org.id)
    }).pipe(Effect.provide(layer())))

  it.effect("refuses a partner_user (Forbidden) and a customer or outsider (NotFound)", () =>
    Effect.gen(function*() {
      const { a } = yield* world
      const member = yield* join(a.admin.principal, a.org.id, "pu@example.com", "partner_user")
      yield* refusedUnchanged(AuditTrail.query(member.principal, {}, all), "Forbidden")
      const key = Principal.ApiKey({
        keyId: Ids.ApiKeyId.make("key_1"),
        clientId: Ids.ClientId.make("cli_1"),
        environment: "live",
        scope: "manage"
      })
      yield* refusedUnchanged(AuditTrail.query(key, {}, all), "NotFound")
    }).pipe(Effect.provide(layer())))
})
