import { describe, expect, it } from "@effect/vitest"
import { AssignmentRepo, AuditLog, ClientRepo, Clients, Ids, Principals } from "@aidial/domain"
import { Effect, Option } from "effect"
import { bootstrap, join, layer, platformUser, refusedUnchanged } from "./support/Fixture.js"

const all = { after: null, limit: 1000 }

describe("provisioning clients", () => {
  it.effect("lets a partner_admin provision in their own organisation, audited with client and organisation", () =>
    Effect.gen(function*() {
      const { org, admin } = yield* bootstrap()
      const client = yield* Clients.provision(admin.principal, { name: "  Client One ", partnerOrgId: org.id })
      expect(client).toMatchObject({ name: "Client One", partnerOrgId: org.id, status: "active" })
      expect(yield* (yield* ClientRepo.ClientRepo).get(client.id)).toEqual(Option.some(client))
      const event = (yield* (yield* AuditLog.AuditLog).query({ action: "client.provision" }, all)).items[0]
      expect(event).toMatchObject({ clientId: client.id, partnerOrgId: org.id, targetId: client.id, outcome: "success" })
    }).pipe(Effect.provide(layer())))

  it.effect("refuses a partner_admin in another organisation or for a direct customer, changing nothing", () =>
    Effect.gen(function*() {
      const a = yield* bootstrap("Org A")
      const b = yield* bootstrap("Org B")
      yield* refusedUnchanged(Clients.provision(b.admin.principal, { name: "X", partnerOrgId: a.org.id }), "NotFound")
      yield* refusedUnchanged(Clients.provision(b.admin.principal, { name: "X", partnerOrgId: null }), "NotFound")
      yield* refusedUnchanged(
        Clients.provision(a.admin.principal, { name: "X", partnerOrgId: Ids.PartnerOrgId.make("org_missing") }),
        "NotFound"
      )
    }).pipe(Effect.provide(layer())))

  it.effect("lets a platform admin provision anywhere and for a direct customer; an operator and a partner_user may not", () =>
    Effect.gen(function*() {
      const { org, admin, platform } = yield* bootstrap()
      const direct = yield* Clients.provision(platform, { name: "Direct", partnerOrgId: null })
      expect(direct.partnerOrgId).toBeNull()
      yield* Clients.provision(platform, { name: "Managed", partnerOrgId: org.id })
      const operator = yield* platformUser("aidial_operator")
      const member = yield* join(admin.principal, org.id, "pu@example.com", "partner_user")
      yield* refusedUnchanged(Clients.provision(operator, { name: "X", partnerOrgId: null }), "Forbidden")
      yield* refusedUnchanged(Clients.provision(member.principal, { name: "X", partnerOrgId: org.id }), "Forbidden")
    }).pipe(Effect.provide(layer())))

  it.effect("rejects an empty name as a parse error, changing nothing", () =>
    Effect.gen(function*() {
      const { org, admin } = yield* bootstrap()
      yield* refusedUnchanged(Clients.provision(admin.principal, { name: "   ", partnerOrgId: org.id }), "ParseError")
    }).pipe(Effect.provide(layer())))
})

describe("updating and archiving", () => {
  it.effect("renames a client, then archives it, after which it is read-only", () =>
    Effect.gen(function*() {
      const { org, admin } = yield* bootstrap()
      const client = yield* Clients.provision(admin.principal, { name: "Old", partnerOrgId: org.id })
      expect((yield* Clients.update(admin.principal, client.id, { name: "New" })).name).toBe("New")
      expect((yield* Clients.archive(admin.principal, client.id)).status).toBe("archived")
      yield* refusedUnchanged(Clients.update(admin.principal, client.id, { name: "Again" }), "NotFound")
      yield* refusedUnchanged(Clients.archive(admin.principal, client.id), "NotFound")
      const member = yield* join(admin.principal, org.id, "pu@example.com", "partner_user")
      yield* refusedUnchanged(Clients.assign(admin.principal, client.id, member.user.id), "NotFound")
      const actions = (yield* (yield* AuditLog.AuditLog).query({ clientId: client.id }, all)).items.map((e) => e.action)
      expect(actions).toEqual(["client.provision", "client.edit", "client.archive"])
    }).pipe(Effect.provide(layer())))

  it.effect("hides another organisation's client from updates as NotFound", () =>
    Effect.gen(function*() {
      const a = yield* bootstrap("Org A")
      const b = yield* bootstrap("Org B")
      const client = yield* Clients.provision(a.admin.principal, { name: "A1", partnerOrgId: a.org.id })
      yield* refusedUnchanged(Clients.update(b.admin.principal, client.id, { name: "Mine" }), "NotFound")
      yield* refusedUnchanged(Clients.archive(b.admin.principal, client.id), "NotFound")
    }).pipe(Effect.provide(layer())))
})

describe("assignments", () => {
  it.effect("assigns a partner_user of the same organisation, who then sees the client; unassign takes it back", () =>
    Effect.gen(function*() {
      const { org, admin } = yield* bootstrap()
      const client = yield* Clients.provision(admin.principal, { name: "C", partnerOrgId: org.id })
      const bob = yield* join(admin.principal, org.id, "bob@example.com", "partner_user")
      yield* Clients.assign(admin.principal, client.id, bob.user.id)
      expect(yield* Clients.listAssignees(admin.principal, client.id)).toEqual([bob.user.id])
      const bobNow = yield* Principals.forUser(bob.user, null)
      expect(bobNow._tag === "PartnerUser" && bobNow.assignedClientIds.has(client.id)).toBe(true)
      yield* Clients.unassign(admin.principal, client.id, bob.user.id)
      expect(yield* (yield* AssignmentRepo.AssignmentRepo).usersOf(client.id)).toEqual([])
      yield* refusedUnchanged(Clients.unassign(admin.principal, client.id, bob.user.id), "NotFound")
    }).pipe(Effect.provide(layer())))

  it.effect("never assigns across organisations, a partner_admin, a platform user or a direct customer's client", () =>
    Effect.gen(function*() {
      const a = yield* bootstrap("Org A")
      const b = yield* bootstrap("Org B")
      const client = yield* Clients.provision(a.admin.principal, { name: "A1", partnerOrgId: a.org.id })
      const outsider = yield* join(b.admin.principal, b.org.id, "out@example.com", "partner_user")
      yield* refusedUnchanged(Clients.assign(a.admin.principal, client.id, outsider.user.id), "NotFound")
      yield* refusedUnchanged(Clients.assign(a.admin.principal, client.id, a.admin.user.id), "AssigneeNotPartnerUser")
      yield* refusedUnchanged(Clients.assign(a.platform, client.id, Ids.UserId.make("usr_missing")), "NotFound")
      const direct = yield* Clients.provision(a.platform, { name: "Direct", partnerOrgId: null })
      const selected = yield* platformUser("aidial_admin", direct.id)
      yield* refusedUnchanged(Clients.assign(selected, direct.id, outsider.user.id), "NotFound")
      yield* refusedUnchanged(Clients.assign(b.admin.principal, client.id, outsider.user.id), "NotFound")
    }).pipe(Effect.provide(layer())))

  it.effect("lets only admins assign: a partner_user is Forbidden on an assigned client", () =>
    Effect.gen(function*() {
      const { org, admin } = yield* bootstrap()
      const client = yield* Clients.provision(admin.principal, { name: "C", partnerOrgId: org.id })
      const bob = yield* join(admin.principal, org.id, "bob@example.com", "partner_user")
      const carol = yield* join(admin.principal, org.id, "carol@example.com", "partner_user")
      yield* Clients.assign(admin.principal, client.id, bob.user.id)
      const bobNow = yield* Principals.forUser(bob.user, null)
      yield* refusedUnchanged(Clients.assign(bobNow, client.id, carol.user.id), "Forbidden")
      const carolNow = yield* Principals.forUser(carol.user, null)
      yield* refusedUnchanged(Clients.assign(carolNow, client.id, carol.user.id), "NotFound")
    }).pipe(Effect.provide(layer())))
})
