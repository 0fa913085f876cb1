import { AssignmentRepo, Clients, InvitationRepo, MembershipRepo, type Principal, Principals, Teams } from "@aidial/domain"
import { Effect, Option } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Arbitraries from "../src/Arbitraries.js"
import * as MemoryTenancy from "../src/MemoryTenancy.js"
import { addUser, bootstrap, codeOf, layer } from "./support/Fixture.js"
import * as Runs from "./support/Runs.js"

const all = { after: null, limit: 1000 }

type Op =
  | { readonly _tag: "invite"; readonly org: number; readonly person: number; readonly admin: boolean; readonly byPlatform: boolean }
  | { readonly _tag: "accept"; readonly pick: number; readonly person: number }
  | { readonly _tag: "assign"; readonly actor: number; readonly client: number; readonly person: number }
  | { readonly _tag: "remove"; readonly actor: number; readonly org: number; readonly person: number }
  | { readonly _tag: "role"; readonly actor: number; readonly org: number; readonly person: number; readonly admin: boolean }

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ _tag: fc.constant("invite" as const), org: fc.nat(1), person: fc.nat(4), admin: fc.boolean(), byPlatform: fc.boolean() }),
  fc.record({ _tag: fc.constant("accept" as const), pick: fc.nat(20), person: fc.nat(4) }),
  fc.record({ _tag: fc.constant("assign" as const), actor: fc.nat(2), client: fc.nat(3), person: fc.nat(4) }),
  fc.record({ _tag: fc.constant("remove" as const), actor: fc.nat(2), org: fc.nat(1), person: fc.nat(4) }),
  fc.record({ _tag: fc.constant("role" as const), actor: fc.nat(2), org: fc.nat(1), person: fc.nat(4), admin: fc.boolean() })
)

/** Applies generated operations through the use cases (refusals are expected and ignored), then returns the state. */
const scenario = (ops: ReadonlyArray<Op>) =>
  Effect.gen(function*() {
    const a = yield* bootstrap("Org A")
    const b = yield* bootstrap("Org B")
    const orgs = [a.org, b.org]
    const people = yield* Effect.forEach([0, 1, 2, 3, 4], (i) => addUser(`person${i}@example.com`))
    const clients = [
      yield* Clients.provision(a.admin.principal, { name: "A1", partnerOrgId: a.org.id }),
      yield* Clients.provision(a.admin.principal, { name: "A2", partnerOrgId: a.org.id }),
      yield* Clients.provision(b.admin.principal, { name: "B1", partnerOrgId: b.org.id }),
      yield* Clients.provision(a.platform, { name: "Direct", partnerOrgId: null })
    ]
    const issued: Array<Teams.Issued> = []
    const actorOf = (i: number): Principal.Principal =>
      i === 0 ? a.platform : i === 1 ? a.admin.principal : b.admin.principal
    for (const o of ops) {
      const person = people[("person" in o ? o.person : 0) % people.length]
      if (person === undefined) continue
      const actor = "actor" in o ? actorOf(o.actor) : a.platform
      const refreshed = actor._tag === "PartnerUser"
        ? yield* Principals.forUser(actor.userId === a.admin.user.id ? a.admin.user : b.admin.user, null)
        : actor
      const org = orgs["org" in o ? o.org : 0] ?? a.org
      switch (o._tag) {
        case "invite": {
          const inviter = o.byPlatform ? a.platform : org.id === a.org.id ? a.admin.principal : b.admin.principal
          const result = yield* Effect.either(
            Teams.invite(inviter, org.id, { email: person.email, role: o.admin ? "partner_admin" : "partner_user", message: null })
          )
          if (result._tag === "Right") issued.push(result.right)
          break
        }
        case "accept": {
          const target = issued[o.pick % Math.max(1, issued.length)]
          if (target !== undefined) yield* Effect.either(Teams.accept(person, codeOf(target)))
          break
        }
        case "assign": {
          const client = clients[o.client % clients.length]
          if (client !== undefined) yield* Effect.either(Clients.assign(refreshed, client.id, person.id))
          break
        }
        case "remove":
          yield* Effect.either(Teams.removeMember(refreshed, org.id, person.id))
          break
        case "role":
          yield* Effect.either(Teams.changeRole(refreshed, org.id, person.id, o.admin ? "partner_admin" : "partner_user"))
          break
      }
    }
    const memberships = yield* MembershipRepo.MembershipRepo
    const invitations = yield* InvitationRepo.InvitationRepo
    const assignments = yield* AssignmentRepo.AssignmentRepo
    return {
      orgs,
      clients,
      members: (yield* Effect.forEach(orgs, (o) => memberships.listByPartnerOrg(o.id))).flat(),
      accepted: (yield* Effect.forEach(orgs, (o) => invitations.list(o.id, { status: "accepted" }, all))).flatMap((p) => p.items),
      assignments: yield* Effect.forEach(clients, (c) => Effect.map(assignments.usersOf(c.id), (users) => ({ client: c, users }))),
      membershipOf: (id: Parameters<typeof memberships.get>[0]) => memberships.get(id)
    }
  })

describe("team properties", () => {
  it("no user holds a partner role without an accepted invitation to that organisation; no assignment crosses organisations", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 25 }), async (ops) => {
        await Effect.runPromise(Effect.gen(function*() {
          const state = yield* scenario(ops)
          for (const member of state.members) {
            const ticket = state.accepted.find((i) => i.partnerOrgId === member.partnerOrgId && i.acceptedBy === member.userId)
            expect(ticket, `membership of ${member.userId} in ${member.partnerOrgId}`).toBeDefined()
          }
          for (const { client, users } of state.assignments) {
            for (const userId of users) {
              const membership = yield* state.membershipOf(userId)
              expect(client.partnerOrgId).not.toBeNull()
              expect(Option.map(membership, (m) => m._tag === "PartnerMembership" && m.partnerOrgId === client.partnerOrgId && m.role === "partner_user"))
                .toEqual(Option.some(true))
            }
          }
        }).pipe(Effect.provide(layer())))
      }),
      { numRuns: Runs.numRuns(60) }
    )
  }, 120_000)
})

describe("generated worlds", () => {
  it("hold at least 3 organisations, direct and archived clients, projects in both environments and every kind of principal", () => {
    fc.assert(
      fc.property(Arbitraries.world(), (world) => {
        expect(world.orgs.length).toBeGreaterThanOrEqual(3)
        expect(world.clients.some((c) => c.partnerOrgId === null)).toBe(true)
        for (const c of world.clients) {
          expect(world.projects.filter((p) => p.clientId === c.id).map((p) => p.environment).sort()).toEqual(["live", "test"])
        }
        const roles = new Set(world.memberships.map((m) => m.role))
        for (const role of ["aidial_admin", "aidial_operator", "partner_admin"] as const) expect(roles.has(role)).toBe(true)
        const tags = new Set(world.principals.map((p) => p._tag))
        expect([...tags].sort()).toEqual(expect.arrayContaining(["ApiKey", "PartnerUser", "PlatformUser"]))
        const keys = world.principals.filter((p) => p._tag === "ApiKey")
        expect(new Set(keys.map((k) => `${k.scope}/${k.environment}`)).size).toBe(4)
        for (const a of world.assignments) {
          const client = world.clients.find((c) => c.id === a.clientId)
          const m = world.memberships.find((x) => x.userId === a.userId)
          expect(m?._tag === "PartnerMembership" && m.role === "partner_user" && m.partnerOrgId === client?.partnerOrgId).toBe(true)
        }
      }),
      { numRuns: Runs.numRuns(100) }
    )
    const sample = fc.sample(Arbitraries.world(), 50)
    expect(sample.some((w) => w.clients.some((c) => c.status === "archived"))).toBe(true)
    expect(sample.some((w) => w.memberships.some((m) => m.role === "customer_user"))).toBe(true)
    expect(sample.some((w) => w.memberships.some((m) => m.role === "partner_user"))).toBe(true)
  })

  it("seeds a world whose stored users authenticate as exactly the world's principals", async () => {
    await fc.assert(
      fc.asyncProperty(Arbitraries.world(), async (world) => {
        await Effect.runPromise(Effect.gen(function*() {
          yield* Arbitraries.seed(world)
          for (const user of world.users) {
            const principal = yield* Principals.forUser(user, null)
            const expected = world.principals.find((p) =>
              p._tag !== "ApiKey" && p.userId === user.id && (p._tag !== "PlatformUser" || p.selectedClientId === null)
            )
            expect(principal).toEqual(expected)
          }
        }).pipe(Effect.provide(MemoryTenancy.layerMemory)))
      }),
      { numRuns: Runs.numRuns(30) }
    )
  })
})
