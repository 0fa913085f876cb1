import { describe, expect, it } from "@effect/vitest"
import { AuditLog, PartnerOrgs } from "@aidial/domain"
import { Effect } from "effect"
import { bootstrap, join, layer, platformUser, refusedUnchanged } from "./support/Fixture.js"

const all = { after: null, limit: 1000 }

describe("partner organisations", () => {
  it.effect("a platform admin provisions an organisation that stays provisioning, audited", () =>
    Effect.gen(function*() {
      const platform = yield* platformUser()
      const org = yield* PartnerOrgs.provision(platform, { name: "Acme", description: "Resells voice agents" })
      expect(org).toMatchObject({ name: "Acme", description: "Resells voice agents", status: "provisioning" })
      expect(yield* PartnerOrgs.get(platform, org.id)).toEqual(org)
      const events = (yield* (yield* AuditLog.AuditLog).query({ partnerOrgId: org.id }, all)).items
      expect(events.map((e) => [e.action, e.targetId, e.actor.id])).toEqual([["partner.provision", org.id, platform.userId]])
    }).pipe(Effect.provide(layer())))

  it.effect("nobody but a platform admin provisions", () =>
    Effect.gen(function*() {
      const { admin } = yield* bootstrap()
      const operator = yield* platformUser("aidial_operator")
      yield* refusedUnchanged(PartnerOrgs.provision(operator, { name: "X", description: "" }), "Forbidden")
      yield* refusedUnchanged(PartnerOrgs.provision(admin.principal, { name: "X", description: "" }), "NotFound")
    }).pipe(Effect.provide(layer())))

  it.effect("a partner_admin edits their organisation's name and description, not another's", () =>
    Effect.gen(function*() {
      const a = yield* bootstrap("Org A")
      const b = yield* bootstrap("Org B")
      const edited = yield* PartnerOrgs.edit(a.admin.principal, a.org.id, { name: "Org A2", description: "New" })
      expect(edited).toMatchObject({ name: "Org A2", description: "New", status: "active" })
      const renamed = yield* PartnerOrgs.edit(a.admin.principal, a.org.id, { name: "Org A3" })
      expect(renamed.description).toBe("New")
      yield* refusedUnchanged(PartnerOrgs.edit(b.admin.principal, a.org.id, { name: "Mine" }), "NotFound")
      yield* refusedUnchanged(PartnerOrgs.edit(a.admin.principal, a.org.id, { name: "" }), "ParseError")
      const member = yield* join(a.admin.principal, a.org.id, "pu@example.com", "partner_user")
      yield* refusedUnchanged(PartnerOrgs.edit(member.principal, a.org.id, { name: "X" }), "Forbidden")
      const actions = (yield* (yield* AuditLog.AuditLog).query({ partnerOrgId: a.org.id, action: "partner.edit" }, all)).items
      expect(actions.length).toBe(2)
    }).pipe(Effect.provide(layer())))

  it.effect("lists all organisations to platform users and only their own to partner members", () =>
    Effect.gen(function*() {
      const a = yield* bootstrap("Org A")
      yield* bootstrap("Org B")
      expect((yield* PartnerOrgs.list(a.platform, all)).items.length).toBe(2)
      expect((yield* PartnerOrgs.list(a.admin.principal, all)).items.map((o) => o.id)).toEqual([a.org.id])
    }).pipe(Effect.provide(layer())))
})
