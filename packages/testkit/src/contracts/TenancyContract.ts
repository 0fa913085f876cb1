import {
  AssignmentRepo,
  AuditLog,
  ClientRepo,
  Ids,
  MembershipRepo,
  PartnerOrgRepo,
  PrincipalRepo,
  ProjectRepo,
  type Page,
  type TenancyRepos,
  Transactor,
  UserRepo
} from "@aidial/domain"
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Fiber, type Layer, Option } from "effect"
import * as Fixtures from "../Fixtures.js"

/** What a storage adapter under test provides. */
export type Services = TenancyRepos | Transactor.Transactor | AuditLog.AuditLog

const page = (limit: number, after: string | null = null): Page.PageRequest => ({ after, limit })
const all = page(1000)
const ids = <A extends { readonly id: string }>(p: Page.Page<A>): ReadonlyArray<string> => p.items.map((a) => a.id)

const orgId = Ids.PartnerOrgId.make
const clientId = Ids.ClientId.make
const projectId = Ids.ProjectId.make
const userId = Ids.UserId.make

/** An instant with a non-zero millisecond part, to prove timestamps keep their milliseconds. */
const preciseInstant = new Date("2026-03-04T05:06:07.891Z")

class Boom {
  readonly _tag = "Boom"
}

/**
 * The behaviour every tenancy + audit storage adapter must show. `layer` is built afresh for each
 * test (a PostgreSQL layer must hand out a clean schema each time), so tests are independent.
 */
export const suite = (name: string, layer: Layer.Layer<Services, unknown>): void => {
  const test = (title: string, body: Effect.Effect<void, unknown, Services>) =>
    it.effect(title, () => Effect.provide(body, layer))

  describe(name, () => {
    describe("PartnerOrgRepo", () => {
      test("get returns the inserted organisation and None for a missing id", Effect.gen(function*() {
        const repo = yield* PartnerOrgRepo.PartnerOrgRepo
        const org = Fixtures.makePartnerOrg({ status: "provisioning", description: "Resells in the Nordics" })
        yield* repo.insert(org)
        expect(yield* repo.get(org.id)).toStrictEqual(Option.some(org))
        expect(yield* repo.get(orgId("org_missing"))).toStrictEqual(Option.none())
      }))

      test("update replaces the stored organisation and ignores a missing one", Effect.gen(function*() {
        const repo = yield* PartnerOrgRepo.PartnerOrgRepo
        const org = Fixtures.makePartnerOrg({ status: "provisioning" })
        yield* repo.insert(org)
        const renamed = Fixtures.makePartnerOrg({ id: org.id, name: "Renamed", status: "active" })
        yield* repo.update(renamed)
        expect(yield* repo.get(org.id)).toStrictEqual(Option.some(renamed))
        const ghost = Fixtures.makePartnerOrg({ id: orgId("org_ghost") })
        yield* repo.update(ghost)
        expect(yield* repo.get(ghost.id)).toStrictEqual(Option.none())
      }))

      test("lock inside a transaction changes nothing, and a missing id is no error", Effect.gen(function*() {
        const repo = yield* PartnerOrgRepo.PartnerOrgRepo
        const org = Fixtures.makePartnerOrg({ status: "active", description: "Locked" })
        yield* repo.insert(org)
        yield* (yield* Transactor.Transactor).withTransaction(
          Effect.zipRight(repo.lock(org.id), repo.lock(orgId("org_missing")))
        )
        expect(yield* repo.get(org.id)).toStrictEqual(Option.some(org))
        expect(yield* repo.get(orgId("org_missing"))).toStrictEqual(Option.none())
      }))

      test("list pages in id order: limit, next, after, and next is null on the last page", Effect.gen(function*() {
        const repo = yield* PartnerOrgRepo.PartnerOrgRepo
        for (const id of ["org_c", "org_a", "org_e", "org_b", "org_d"]) {
          yield* repo.insert(Fixtures.makePartnerOrg({ id: orgId(id) }))
        }
        const first = yield* repo.list(page(2))
        expect(ids(first)).toStrictEqual(["org_a", "org_b"])
        expect(first.next).toBe("org_b")
        const second = yield* repo.list(page(2, first.next))
        expect(ids(second)).toStrictEqual(["org_c", "org_d"])
        expect(second.next).toBe("org_d")
        const last = yield* repo.list(page(2, second.next))
        expect(ids(last)).toStrictEqual(["org_e"])
        expect(last.next).toBeNull()
        const exact = yield* repo.list(page(5))
        expect(ids(exact)).toHaveLength(5)
        expect(exact.next).toBeNull()
      }))

      test("id order is plain string order (upper case, digits, '-' and '_')", Effect.gen(function*() {
        const repo = yield* PartnerOrgRepo.PartnerOrgRepo
        const given = ["org_b", "org_B", "org-a", "org_1", "org_A", "org_a", "org_Z", "org_z0"]
        for (const id of given) yield* repo.insert(Fixtures.makePartnerOrg({ id: orgId(id) }))
        expect(ids(yield* repo.list(all))).toStrictEqual([...given].sort())
        expect(ids(yield* repo.list(page(3, "org_B")))).toStrictEqual([...given].sort().filter((id) => id > "org_B").slice(0, 3))
      }))
    })

    describe("ClientRepo", () => {
      test("get returns the inserted client, with or without a partner organisation", Effect.gen(function*() {
        const repo = yield* ClientRepo.ClientRepo
        const direct = Fixtures.makeClient()
        const managed = Fixtures.makeClient({ partnerOrgId: orgId("org_p"), status: "archived" })
        yield* repo.insert(direct)
        yield* repo.insert(managed)
        expect(yield* repo.get(direct.id)).toStrictEqual(Option.some(direct))
        expect(yield* repo.get(managed.id)).toStrictEqual(Option.some(managed))
        expect(yield* repo.get(clientId("cli_missing"))).toStrictEqual(Option.none())
      }))

      test("update replaces the stored client and ignores a missing one", Effect.gen(function*() {
        const repo = yield* ClientRepo.ClientRepo
        const client = Fixtures.makeClient({ partnerOrgId: orgId("org_p") })
        yield* repo.insert(client)
        const archived = Fixtures.makeClient({ id: client.id, partnerOrgId: null, name: "Moved", status: "archived" })
        yield* repo.update(archived)
        expect(yield* repo.get(client.id)).toStrictEqual(Option.some(archived))
        const ghost = Fixtures.makeClient({ id: clientId("cli_ghost") })
        yield* repo.update(ghost)
        expect(yield* repo.get(ghost.id)).toStrictEqual(Option.none())
      }))

      const seedClients = Effect.gen(function*() {
        const repo = yield* ClientRepo.ClientRepo
        const rows: ReadonlyArray<readonly [string, string | null]> = [
          ["cli_1", "org_a"],
          ["cli_2", "org_b"],
          ["cli_3", "org_a"],
          ["cli_4", null],
          ["cli_5", "org_a"]
        ]
        for (const [id, org] of rows) {
          yield* repo.insert(Fixtures.makeClient({ id: clientId(id), partnerOrgId: org === null ? null : orgId(org) }))
        }
        return repo
      })

      test("list filters by partner organisation", Effect.gen(function*() {
        const repo = yield* seedClients
        expect(ids(yield* repo.list({}, all))).toStrictEqual(["cli_1", "cli_2", "cli_3", "cli_4", "cli_5"])
        expect(ids(yield* repo.list({ partnerOrgId: orgId("org_a") }, all))).toStrictEqual(["cli_1", "cli_3", "cli_5"])
        expect(ids(yield* repo.list({ partnerOrgId: orgId("org_none") }, all))).toStrictEqual([])
      }))

      test("getWithin returns the client exactly when the filter selects it, and nothing for a missing id", Effect.gen(function*() {
        const repo = yield* seedClients
        const filters: ReadonlyArray<ClientRepo.ClientFilter> = [
          {},
          { partnerOrgId: orgId("org_a") },
          { partnerOrgId: orgId("org_none") },
          { clientIds: [clientId("cli_5"), clientId("cli_2"), clientId("cli_9")] },
          { clientIds: [clientId("cli_5"), clientId("cli_2")], partnerOrgId: orgId("org_a") },
          { clientIds: [] },
          { clientIds: [], partnerOrgId: orgId("org_a") }
        ]
        for (const filter of filters) {
          const listed = ids(yield* repo.list(filter, all))
          for (const id of ["cli_1", "cli_2", "cli_3", "cli_4", "cli_5", "cli_9"]) {
            const found = yield* repo.getWithin(clientId(id), filter)
            expect(Option.map(found, (c) => c.id)).toStrictEqual(listed.includes(id) ? Option.some(id) : Option.none())
            if (Option.isSome(found)) expect(found).toStrictEqual(yield* repo.get(clientId(id)))
          }
        }
      }))

      test("list filters by client ids, by both filters at once, and an empty id list returns nothing", Effect.gen(function*() {
        const repo = yield* seedClients
        const some = [clientId("cli_5"), clientId("cli_2"), clientId("cli_9")]
        expect(ids(yield* repo.list({ clientIds: some }, all))).toStrictEqual(["cli_2", "cli_5"])
        expect(ids(yield* repo.list({ clientIds: some, partnerOrgId: orgId("org_a") }, all))).toStrictEqual(["cli_5"])
        const none = yield* repo.list({ clientIds: [] }, all)
        expect(none).toStrictEqual({ items: [], next: null })
        expect(ids(yield* repo.list({ clientIds: [], partnerOrgId: orgId("org_a") }, all))).toStrictEqual([])
      }))

      test("list pages within a filter", Effect.gen(function*() {
        const repo = yield* seedClients
        const filter = { partnerOrgId: orgId("org_a") }
        const first = yield* repo.list(filter, page(2))
        expect(ids(first)).toStrictEqual(["cli_1", "cli_3"])
        expect(first.next).toBe("cli_3")
        const last = yield* repo.list(filter, page(2, first.next))
        expect(ids(last)).toStrictEqual(["cli_5"])
        expect(last.next).toBeNull()
      }))
    })

    describe("ProjectRepo", () => {
      test("get returns the inserted project and None for a missing id", Effect.gen(function*() {
        const repo = yield* ProjectRepo.ProjectRepo
        const project = Fixtures.makeProject({ environment: "test", isActive: false, displayName: "Sales line" })
        const active = Fixtures.makeProject({ isActive: true })
        yield* repo.insert(project)
        yield* repo.insert(active)
        expect(yield* repo.get(project.id)).toStrictEqual(Option.some(project))
        expect(yield* repo.get(active.id)).toStrictEqual(Option.some(active))
        expect(yield* repo.get(projectId("prj_missing"))).toStrictEqual(Option.none())
      }))

      const seedProjects = Effect.gen(function*() {
        const clients = yield* ClientRepo.ClientRepo
        const projects = yield* ProjectRepo.ProjectRepo
        yield* clients.insert(Fixtures.makeClient({ id: clientId("cli_a1"), partnerOrgId: orgId("org_a") }))
        yield* clients.insert(Fixtures.makeClient({ id: clientId("cli_a2"), partnerOrgId: orgId("org_a") }))
        yield* clients.insert(Fixtures.makeClient({ id: clientId("cli_b1"), partnerOrgId: orgId("org_b") }))
        yield* clients.insert(Fixtures.makeClient({ id: clientId("cli_d1"), partnerOrgId: null }))
        const rows: ReadonlyArray<readonly [string, string, "live" | "test"]> = [
          ["prj_1", "cli_a1", "live"],
          ["prj_2", "cli_b1", "live"],
          ["prj_3", "cli_a2", "test"],
          ["prj_4", "cli_d1", "live"],
          ["prj_5", "cli_a1", "test"],
          ["prj_6", "cli_a2", "live"]
        ]
        for (const [id, client, environment] of rows) {
          yield* projects.insert(Fixtures.makeProject({ id: projectId(id), clientId: clientId(client), environment }))
        }
        return projects
      })

      test("list filters by the partner organisation of the project's client", Effect.gen(function*() {
        const repo = yield* seedProjects
        expect(ids(yield* repo.list({}, all))).toStrictEqual(["prj_1", "prj_2", "prj_3", "prj_4", "prj_5", "prj_6"])
        expect(ids(yield* repo.list({ partnerOrgId: orgId("org_a") }, all))).toStrictEqual(["prj_1", "prj_3", "prj_5", "prj_6"])
        expect(ids(yield* repo.list({ partnerOrgId: orgId("org_b") }, all))).toStrictEqual(["prj_2"])
        expect(ids(yield* repo.list({ partnerOrgId: orgId("org_none") }, all))).toStrictEqual([])
      }))

      test("getWithin returns the project exactly when the filter selects it, and nothing for a missing id", Effect.gen(function*() {
        const repo = yield* seedProjects
        const filters: ReadonlyArray<ProjectRepo.ProjectFilter> = [
          {},
          { partnerOrgId: orgId("org_a") },
          { partnerOrgId: orgId("org_none") },
          { clientIds: [clientId("cli_a2"), clientId("cli_d1")] },
          { clientIds: [clientId("cli_a1")] },
          { environment: "test" },
          { environment: "live", partnerOrgId: orgId("org_a"), clientIds: [clientId("cli_a2"), clientId("cli_b1")] },
          { clientIds: [] },
          { clientIds: [], partnerOrgId: orgId("org_a") }
        ]
        for (const filter of filters) {
          const listed = ids(yield* repo.list(filter, all))
          for (const id of ["prj_1", "prj_2", "prj_3", "prj_4", "prj_5", "prj_6", "prj_9"]) {
            const found = yield* repo.getWithin(projectId(id), filter)
            expect(Option.map(found, (p) => p.id)).toStrictEqual(listed.includes(id) ? Option.some(id) : Option.none())
            if (Option.isSome(found)) expect(found).toStrictEqual(yield* repo.get(projectId(id)))
          }
        }
      }))

      test("list filters by client ids and environment, together with the organisation", Effect.gen(function*() {
        const repo = yield* seedProjects
        expect(ids(yield* repo.list({ clientIds: [clientId("cli_a2"), clientId("cli_d1")] }, all)))
          .toStrictEqual(["prj_3", "prj_4", "prj_6"])
        expect(ids(yield* repo.list({ environment: "test" }, all))).toStrictEqual(["prj_3", "prj_5"])
        expect(ids(yield* repo.list({ environment: "live", partnerOrgId: orgId("org_a") }, all)))
          .toStrictEqual(["prj_1", "prj_6"])
        expect(ids(
          yield* repo.list({ environment: "live", partnerOrgId: orgId("org_a"), clientIds: [clientId("cli_a2"), clientId("cli_b1")] }, all)
        )).toStrictEqual(["prj_6"])
        expect(yield* repo.list({ clientIds: [] }, all)).toStrictEqual({ items: [], next: null })
      }))

      test("list pages within a filter", Effect.gen(function*() {
        const repo = yield* seedProjects
        const filter = { partnerOrgId: orgId("org_a") }
        const first = yield* repo.list(filter, page(3))
        expect(ids(first)).toStrictEqual(["prj_1", "prj_3", "prj_5"])
        expect(first.next).toBe("prj_5")
        const last = yield* repo.list(filter, page(3, first.next))
        expect(ids(last)).toStrictEqual(["prj_6"])
        expect(last.next).toBeNull()
      }))
    })

    describe("AssignmentRepo", () => {
      test("assigning twice keeps one; clientsOf and usersOf come back sorted", Effect.gen(function*() {
        const repo = yield* AssignmentRepo.AssignmentRepo
        const pairs: ReadonlyArray<readonly [string, string]> = [
          ["usr_b", "cli_3"],
          ["usr_b", "cli_1"],
          ["usr_a", "cli_3"],
          ["usr_b", "cli_2"],
          ["usr_c", "cli_3"]
        ]
        for (const [u, c] of pairs) yield* repo.assign(Fixtures.makeAssignment(userId(u), clientId(c)))
        yield* repo.assign(Fixtures.makeAssignment(userId("usr_b"), clientId("cli_1"), preciseInstant))
        expect(yield* repo.clientsOf(userId("usr_b"))).toStrictEqual(["cli_1", "cli_2", "cli_3"])
        expect(yield* repo.usersOf(clientId("cli_3"))).toStrictEqual(["usr_a", "usr_b", "usr_c"])
        expect(yield* repo.clientsOf(userId("usr_none"))).toStrictEqual([])
        expect(yield* repo.usersOf(clientId("cli_none"))).toStrictEqual([])
      }))

      test("unassign removes only that pair; removeAllForUser removes only that user's", Effect.gen(function*() {
        const repo = yield* AssignmentRepo.AssignmentRepo
        for (const [u, c] of [["usr_a", "cli_1"], ["usr_a", "cli_2"], ["usr_b", "cli_1"], ["usr_b", "cli_2"]] as const) {
          yield* repo.assign(Fixtures.makeAssignment(userId(u), clientId(c)))
        }
        yield* repo.unassign(userId("usr_a"), clientId("cli_1"))
        yield* repo.unassign(userId("usr_a"), clientId("cli_9"))
        expect(yield* repo.clientsOf(userId("usr_a"))).toStrictEqual(["cli_2"])
        expect(yield* repo.usersOf(clientId("cli_1"))).toStrictEqual(["usr_b"])
        yield* repo.removeAllForUser(userId("usr_b"))
        expect(yield* repo.clientsOf(userId("usr_b"))).toStrictEqual([])
        expect(yield* repo.usersOf(clientId("cli_2"))).toStrictEqual(["usr_a"])
      }))
    })

    describe("UserRepo", () => {
      test("a user is found by id, by subject and by email; unknown ones are None", Effect.gen(function*() {
        const repo = yield* UserRepo.UserRepo
        const ada = Fixtures.makeUser({ emailVerified: false, displayName: "" })
        const bob = Fixtures.makeUser()
        yield* repo.insert(ada)
        yield* repo.insert(bob)
        expect(yield* repo.get(ada.id)).toStrictEqual(Option.some(ada))
        expect(yield* repo.findBySubject(ada.subject)).toStrictEqual(Option.some(ada))
        expect(yield* repo.findBySubject(bob.subject)).toStrictEqual(Option.some(bob))
        expect(yield* repo.findByEmail(bob.email)).toStrictEqual(Option.some(bob))
        expect(yield* repo.get(userId("usr_missing"))).toStrictEqual(Option.none())
        expect(yield* repo.findBySubject("idp|nobody")).toStrictEqual(Option.none())
        expect(yield* repo.findByEmail(Fixtures.makeUser().email)).toStrictEqual(Option.none())
      }))
    })

    describe("MembershipRepo", () => {
      test("each kind of membership round-trips with its tag", Effect.gen(function*() {
        const repo = yield* MembershipRepo.MembershipRepo
        const platform = Fixtures.makePlatformMembership(userId("usr_1"), "aidial_operator")
        const partner = Fixtures.makePartnerMembership(userId("usr_2"), orgId("org_a"), "partner_user")
        const customer = Fixtures.makeCustomerMembership(userId("usr_3"), clientId("cli_a"), "customer_user")
        for (const m of [platform, partner, customer]) yield* repo.put(m)
        const got = [
          yield* repo.get(platform.userId),
          yield* repo.get(partner.userId),
          yield* repo.get(customer.userId)
        ]
        expect(got).toStrictEqual([Option.some(platform), Option.some(partner), Option.some(customer)])
        expect(got.map((m) => Option.map(m, (x) => x._tag))).toStrictEqual([
          Option.some("PlatformMembership"),
          Option.some("PartnerMembership"),
          Option.some("CustomerMembership")
        ])
        expect(yield* repo.get(userId("usr_none"))).toStrictEqual(Option.none())
      }))

      test("put replaces the previous membership, even of another kind; remove deletes it", Effect.gen(function*() {
        const repo = yield* MembershipRepo.MembershipRepo
        const user = userId("usr_1")
        yield* repo.put(Fixtures.makePartnerMembership(user, orgId("org_a"), "partner_admin"))
        const demoted = Fixtures.makePartnerMembership(user, orgId("org_a"), "partner_user")
        yield* repo.put(demoted)
        expect(yield* repo.get(user)).toStrictEqual(Option.some(demoted))
        const customer = Fixtures.makeCustomerMembership(user, clientId("cli_a"))
        yield* repo.put(customer)
        expect(yield* repo.get(user)).toStrictEqual(Option.some(customer))
        expect(yield* repo.listByPartnerOrg(orgId("org_a"))).toStrictEqual([])
        yield* repo.remove(user)
        yield* repo.remove(userId("usr_never"))
        expect(yield* repo.get(user)).toStrictEqual(Option.none())
      }))

      test("listByPartnerOrg returns that organisation's partner members in user id order", Effect.gen(function*() {
        const repo = yield* MembershipRepo.MembershipRepo
        const c = Fixtures.makePartnerMembership(userId("usr_c"), orgId("org_a"), "partner_user")
        const a = Fixtures.makePartnerMembership(userId("usr_a"), orgId("org_a"))
        yield* repo.put(c)
        yield* repo.put(Fixtures.makePartnerMembership(userId("usr_b"), orgId("org_b")))
        yield* repo.put(a)
        yield* repo.put(Fixtures.makePlatformMembership(userId("usr_d")))
        yield* repo.put(Fixtures.makeCustomerMembership(userId("usr_e"), clientId("cli_a")))
        expect(yield* repo.listByPartnerOrg(orgId("org_a"))).toStrictEqual([a, c])
        expect(yield* repo.listByPartnerOrg(orgId("org_none"))).toStrictEqual([])
      }))
    })

    describe("PrincipalRepo", () => {
      test("finds a subject's user with their membership and its organisation, as the three repositories hold them", Effect.gen(function*() {
        const users = yield* UserRepo.UserRepo
        const memberships = yield* MembershipRepo.MembershipRepo
        const orgs = yield* PartnerOrgRepo.PartnerOrgRepo
        const members = yield* PrincipalRepo.PrincipalRepo
        const org = Fixtures.makePartnerOrg({ status: "provisioning" })
        yield* orgs.insert(org)
        const [partner, staff, customer, newcomer, orphan] = Array.from({ length: 5 }, () => Fixtures.makeUser())
        if (partner === undefined || staff === undefined || customer === undefined || newcomer === undefined || orphan === undefined) {
          return yield* Effect.die("five users")
        }
        for (const u of [partner, staff, customer, newcomer, orphan]) yield* users.insert(u)
        const partnerMembership = Fixtures.makePartnerMembership(partner.id, org.id, "partner_user")
        const staffMembership = Fixtures.makePlatformMembership(staff.id, "aidial_operator")
        const customerMembership = Fixtures.makeCustomerMembership(customer.id, clientId("cli_a"), "customer_user")
        // A partner membership whose organisation row is gone reads as a membership without its organisation.
        const orphanMembership = Fixtures.makePartnerMembership(orphan.id, orgId("org_gone"))
        for (const m of [partnerMembership, staffMembership, customerMembership, orphanMembership]) yield* memberships.put(m)

        expect(yield* members.findBySubject(partner.subject)).toStrictEqual(
          Option.some({ user: partner, membership: Option.some(partnerMembership), partnerOrg: Option.some(org) })
        )
        expect(yield* members.findBySubject(staff.subject)).toStrictEqual(
          Option.some({ user: staff, membership: Option.some(staffMembership), partnerOrg: Option.none() })
        )
        expect(yield* members.findBySubject(customer.subject)).toStrictEqual(
          Option.some({ user: customer, membership: Option.some(customerMembership), partnerOrg: Option.none() })
        )
        expect(yield* members.findBySubject(newcomer.subject)).toStrictEqual(
          Option.some({ user: newcomer, membership: Option.none(), partnerOrg: Option.none() })
        )
        expect(yield* members.findBySubject(orphan.subject)).toStrictEqual(
          Option.some({ user: orphan, membership: Option.some(orphanMembership), partnerOrg: Option.none() })
        )
        expect(yield* members.findBySubject("idp|nobody")).toStrictEqual(Option.none())
      }))

      test("sees a changed membership and organisation on the next read", Effect.gen(function*() {
        const users = yield* UserRepo.UserRepo
        const memberships = yield* MembershipRepo.MembershipRepo
        const orgs = yield* PartnerOrgRepo.PartnerOrgRepo
        const members = yield* PrincipalRepo.PrincipalRepo
        const org = Fixtures.makePartnerOrg({ status: "provisioning" })
        const user = Fixtures.makeUser()
        yield* orgs.insert(org)
        yield* users.insert(user)
        yield* memberships.put(Fixtures.makePartnerMembership(user.id, org.id, "partner_user"))
        yield* members.findBySubject(user.subject)
        const promoted = Fixtures.makePartnerMembership(user.id, org.id, "partner_admin")
        const activated = Fixtures.makePartnerOrg({ ...org, status: "active" })
        yield* memberships.put(promoted)
        yield* orgs.update(activated)
        expect(yield* members.findBySubject(user.subject)).toStrictEqual(
          Option.some({ user, membership: Option.some(promoted), partnerOrg: Option.some(activated) })
        )
        yield* memberships.remove(user.id)
        expect(yield* members.findBySubject(user.subject)).toStrictEqual(
          Option.some({ user, membership: Option.none(), partnerOrg: Option.none() })
        )
      }))
    })

    test("every timestamp round-trips to the millisecond, including before 1970", Effect.gen(function*() {
      const orgs = yield* PartnerOrgRepo.PartnerOrgRepo
      const clients = yield* ClientRepo.ClientRepo
      const projects = yield* ProjectRepo.ProjectRepo
      const users = yield* UserRepo.UserRepo
      const audit = yield* AuditLog.AuditLog
      for (const at of [preciseInstant, new Date(-1), new Date(Date.UTC(9999, 11, 31, 23, 59, 59, 999))]) {
        const org = Fixtures.makePartnerOrg({ createdAt: at })
        const client = Fixtures.makeClient({ createdAt: at })
        const project = Fixtures.makeProject({ createdAt: at })
        const user = Fixtures.makeUser({ createdAt: at })
        const event = Fixtures.makeAuditEvent({ at })
        yield* orgs.insert(org)
        yield* clients.insert(client)
        yield* projects.insert(project)
        yield* users.insert(user)
        yield* audit.append(event)
        expect(Option.map(yield* orgs.get(org.id), (x) => x.createdAt.getTime())).toStrictEqual(Option.some(at.getTime()))
        expect(Option.map(yield* clients.get(client.id), (x) => x.createdAt.getTime())).toStrictEqual(Option.some(at.getTime()))
        expect(Option.map(yield* projects.get(project.id), (x) => x.createdAt.getTime())).toStrictEqual(Option.some(at.getTime()))
        expect(Option.map(yield* users.get(user.id), (x) => x.createdAt.getTime())).toStrictEqual(Option.some(at.getTime()))
        const found = yield* audit.query({ from: at, to: new Date(at.getTime() + 1) }, all)
        expect(found.items).toStrictEqual([event])
      }
    }))

    describe("AuditLog", () => {
      test("an appended event comes back equal, with its actor, target and details", Effect.gen(function*() {
        const audit = yield* AuditLog.AuditLog
        const event = Fixtures.makeAuditEvent({
          id: "evt_1",
          at: preciseInstant,
          actor: { kind: "user", id: "usr_1" },
          action: "apikey.create",
          targetType: "api_key",
          targetId: "key_1",
          clientId: clientId("cli_1"),
          partnerOrgId: orgId("org_1"),
          outcome: "denied",
          requestId: "req_1",
          details: { scope: "manage", note: "quotes \" and unicode é" }
        })
        const bare = Fixtures.makeAuditEvent({ id: "evt_2", actor: { kind: "anonymous", id: null } })
        yield* audit.append(event)
        yield* audit.append(bare)
        expect(yield* audit.query({}, all)).toStrictEqual({ items: [event, bare], next: null })
      }))

      const seedEvents = Effect.gen(function*() {
        const audit = yield* AuditLog.AuditLog
        const t = (ms: number) => new Date(preciseInstant.getTime() + ms)
        const events = [
          Fixtures.makeAuditEvent({ id: "evt_1", at: t(0), clientId: clientId("cli_1"), partnerOrgId: orgId("org_1"), actor: { kind: "user", id: "usr_1" }, action: "client.view" }),
          Fixtures.makeAuditEvent({ id: "evt_2", at: t(1), clientId: clientId("cli_2"), partnerOrgId: orgId("org_1"), actor: { kind: "user", id: "usr_2" }, action: "apikey.create" }),
          Fixtures.makeAuditEvent({ id: "evt_3", at: t(2), clientId: null, partnerOrgId: orgId("org_1"), actor: { kind: "user", id: "usr_1" }, action: "team.manage" }),
          Fixtures.makeAuditEvent({ id: "evt_4", at: t(3), clientId: clientId("cli_3"), partnerOrgId: orgId("org_2"), actor: { kind: "api_key", id: "key_1" }, action: "client.view" }),
          Fixtures.makeAuditEvent({ id: "evt_5", at: t(4), clientId: null, partnerOrgId: null, actor: { kind: "system", id: null }, action: "client.view" })
        ]
        // appended out of id order: queries still come back in id order
        for (const e of [events[3], events[0], events[4], events[2], events[1]]) if (e !== undefined) yield* audit.append(e)
        return { audit, t }
      })

      test("query filters by client, partner organisation, actor and action", Effect.gen(function*() {
        const { audit } = yield* seedEvents
        expect(ids(yield* audit.query({}, all))).toStrictEqual(["evt_1", "evt_2", "evt_3", "evt_4", "evt_5"])
        expect(ids(yield* audit.query({ clientId: clientId("cli_1") }, all))).toStrictEqual(["evt_1"])
        expect(ids(yield* audit.query({ partnerOrgId: orgId("org_1") }, all))).toStrictEqual(["evt_1", "evt_2", "evt_3"])
        expect(ids(yield* audit.query({ actorId: "usr_1" }, all))).toStrictEqual(["evt_1", "evt_3"])
        expect(ids(yield* audit.query({ action: "client.view" }, all))).toStrictEqual(["evt_1", "evt_4", "evt_5"])
        expect(ids(yield* audit.query({ action: "client.view", partnerOrgId: orgId("org_1"), actorId: "usr_1" }, all)))
          .toStrictEqual(["evt_1"])
        expect(ids(yield* audit.query({ clientId: clientId("cli_none") }, all))).toStrictEqual([])
      }))

      test("query's time window includes `from` and excludes `to`", Effect.gen(function*() {
        const { audit, t } = yield* seedEvents
        expect(ids(yield* audit.query({ from: t(1) }, all))).toStrictEqual(["evt_2", "evt_3", "evt_4", "evt_5"])
        expect(ids(yield* audit.query({ to: t(3) }, all))).toStrictEqual(["evt_1", "evt_2", "evt_3"])
        expect(ids(yield* audit.query({ from: t(1), to: t(3) }, all))).toStrictEqual(["evt_2", "evt_3"])
        expect(ids(yield* audit.query({ from: t(2), to: t(2) }, all))).toStrictEqual([])
        expect(ids(yield* audit.query({ from: t(0), to: t(1), actorId: "usr_1" }, all))).toStrictEqual(["evt_1"])
      }))

      test("query pages in id order within a filter", Effect.gen(function*() {
        const { audit } = yield* seedEvents
        const filter = { action: "client.view" }
        const first = yield* audit.query(filter, page(2))
        expect(ids(first)).toStrictEqual(["evt_1", "evt_4"])
        expect(first.next).toBe("evt_4")
        const last = yield* audit.query(filter, page(2, first.next))
        expect(ids(last)).toStrictEqual(["evt_5"])
        expect(last.next).toBeNull()
      }))
    })

    describe("Transactor", () => {
      /** One write to every repository and the audit log. */
      const writeEverywhere = Effect.gen(function*() {
        const org = Fixtures.makePartnerOrg({ id: orgId("org_tx") })
        const client = Fixtures.makeClient({ id: clientId("cli_tx"), partnerOrgId: org.id })
        const user = Fixtures.makeUser({ id: userId("usr_tx") })
        yield* (yield* PartnerOrgRepo.PartnerOrgRepo).insert(org)
        yield* (yield* ClientRepo.ClientRepo).insert(client)
        yield* (yield* UserRepo.UserRepo).insert(user)
        yield* (yield* MembershipRepo.MembershipRepo).put(Fixtures.makePartnerMembership(user.id, org.id))
        yield* (yield* AssignmentRepo.AssignmentRepo).assign(Fixtures.makeAssignment(user.id, client.id))
        yield* (yield* ProjectRepo.ProjectRepo).insert(Fixtures.makeProject({ id: projectId("prj_tx"), clientId: client.id }))
        yield* (yield* AuditLog.AuditLog).append(Fixtures.makeAuditEvent({ id: "evt_tx", clientId: client.id }))
      })

      /** What `writeEverywhere` left behind, as a comparable snapshot. */
      const snapshot = Effect.gen(function*() {
        return {
          org: Option.isSome(yield* (yield* PartnerOrgRepo.PartnerOrgRepo).get(orgId("org_tx"))),
          client: Option.isSome(yield* (yield* ClientRepo.ClientRepo).get(clientId("cli_tx"))),
          user: Option.isSome(yield* (yield* UserRepo.UserRepo).get(userId("usr_tx"))),
          membership: Option.isSome(yield* (yield* MembershipRepo.MembershipRepo).get(userId("usr_tx"))),
          assignments: (yield* (yield* AssignmentRepo.AssignmentRepo).clientsOf(userId("usr_tx"))).length,
          project: Option.isSome(yield* (yield* ProjectRepo.ProjectRepo).get(projectId("prj_tx"))),
          audit: (yield* (yield* AuditLog.AuditLog).query({}, all)).items.length
        }
      })
      const nothing = { org: false, client: false, user: false, membership: false, assignments: 0, project: false, audit: 0 }
      const everything = { org: true, client: true, user: true, membership: true, assignments: 1, project: true, audit: 1 }

      test("a successful transaction commits every write", Effect.gen(function*() {
        const tx = yield* Transactor.Transactor
        expect(yield* tx.withTransaction(Effect.as(writeEverywhere, "done"))).toBe("done")
        expect(yield* snapshot).toStrictEqual(everything)
      }))

      test("a transaction that fails after writing leaves nothing behind, and the failure is the caller's", Effect.gen(function*() {
        const tx = yield* Transactor.Transactor
        const result = yield* Effect.either(tx.withTransaction(Effect.zipRight(writeEverywhere, Effect.fail(new Boom()))))
        expect(result._tag).toBe("Left")
        if (result._tag === "Left") expect(result.left).toBeInstanceOf(Boom)
        expect(yield* snapshot).toStrictEqual(nothing)
      }))

      test("a transaction that dies after writing leaves nothing behind", Effect.gen(function*() {
        const tx = yield* Transactor.Transactor
        const exit = yield* Effect.exit(tx.withTransaction(Effect.zipRight(writeEverywhere, Effect.die("crash"))))
        expect(exit._tag).toBe("Failure")
        expect(yield* snapshot).toStrictEqual(nothing)
      }))

      test("an interrupted transaction leaves nothing behind", Effect.gen(function*() {
        const tx = yield* Transactor.Transactor
        const written = yield* Deferred.make<void>()
        const fiber = yield* Effect.fork(
          tx.withTransaction(writeEverywhere.pipe(Effect.zipRight(Deferred.succeed(written, undefined)), Effect.zipRight(Effect.never)))
        )
        yield* Deferred.await(written)
        yield* Fiber.interrupt(fiber)
        expect(yield* snapshot).toStrictEqual(nothing)
      }))

      test("reads inside a transaction see its own writes", Effect.gen(function*() {
        const tx = yield* Transactor.Transactor
        const inside = yield* tx.withTransaction(Effect.zipRight(writeEverywhere, snapshot))
        expect(inside).toStrictEqual(everything)
      }))

      test("a nested transaction joins the outer one: the outer failure undoes the inner writes", Effect.gen(function*() {
        const tx = yield* Transactor.Transactor
        const orgs = yield* PartnerOrgRepo.PartnerOrgRepo
        const outer = Effect.gen(function*() {
          yield* orgs.insert(Fixtures.makePartnerOrg({ id: orgId("org_outer") }))
          yield* tx.withTransaction(writeEverywhere)
          return yield* Effect.fail(new Boom())
        })
        yield* Effect.either(tx.withTransaction(outer))
        expect(yield* snapshot).toStrictEqual(nothing)
        expect(yield* orgs.get(orgId("org_outer"))).toStrictEqual(Option.none())
      }))

      test("a nested transaction joins the outer one: both commit together", Effect.gen(function*() {
        const tx = yield* Transactor.Transactor
        const orgs = yield* PartnerOrgRepo.PartnerOrgRepo
        const outer = Effect.gen(function*() {
          yield* tx.withTransaction(writeEverywhere)
          yield* orgs.insert(Fixtures.makePartnerOrg({ id: orgId("org_outer") }))
        })
        yield* tx.withTransaction(outer)
        expect(yield* snapshot).toStrictEqual(everything)
        expect(Option.isSome(yield* orgs.get(orgId("org_outer")))).toBe(true)
      }))

      test("after a rolled-back transaction, later transactions still commit", Effect.gen(function*() {
        const tx = yield* Transactor.Transactor
        yield* Effect.either(tx.withTransaction(Effect.zipRight(writeEverywhere, Effect.fail(new Boom()))))
        yield* tx.withTransaction(writeEverywhere)
        expect(yield* snapshot).toStrictEqual(everything)
      }))
    })
  })
}
