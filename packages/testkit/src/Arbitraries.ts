import {
  Ids,
  Policy,
  Principal,
  Project,
  Role,
  type StorageError,
  Tenancy,
  type TenancyRepos,
  User
} from "@aidial/domain"
import { Effect, Schema } from "effect"
import * as fc from "fast-check"
import * as Fixtures from "./Fixtures.js"

/** A generated tenancy: plain domain values, and every principal that can act in it. */
export interface World {
  readonly orgs: ReadonlyArray<Tenancy.PartnerOrg>
  /** Partner-managed and direct (`partnerOrgId: null`) clients, some archived. */
  readonly clients: ReadonlyArray<Tenancy.Client>
  /** One `live` and one `test` project per client. */
  readonly projects: ReadonlyArray<Project.Project>
  readonly users: ReadonlyArray<User.User>
  readonly memberships: ReadonlyArray<Role.Membership>
  /** partner_user assignments, always within the user's own organisation. */
  readonly assignments: ReadonlyArray<Tenancy.Assignment>
  /**
   * Every principal of the world: each user as they authenticate (platform users once without a
   * selected client and once per client selected), one user without a membership, and API keys of
   * both scopes and environments for every client.
   */
  readonly principals: ReadonlyArray<Principal.Principal>
}

const epoch = new Date("2026-01-01T00:00:00.000Z")
const zone = Schema.decodeSync(Tenancy.Timezone)
const address = Schema.decodeSync(User.Email)

interface OrgShape {
  readonly active: boolean
  readonly admins: number
  readonly users: ReadonlyArray<ReadonlyArray<boolean>>
  readonly clients: ReadonlyArray<{ readonly archived: boolean; readonly customers: number }>
}

const clientShape = fc.record({ archived: fc.boolean(), customers: fc.integer({ min: 0, max: 2 }) })

const orgShape: fc.Arbitrary<OrgShape> = fc
  .record({
    active: fc.boolean(),
    admins: fc.integer({ min: 1, max: 2 }),
    clients: fc.array(clientShape, { minLength: 1, maxLength: 3 }),
    users: fc.array(fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }), { minLength: 0, maxLength: 3 })
  })
  .map((shape) => ({ ...shape, admins: shape.active ? shape.admins : 0 }))

/** Worlds of 3 to 5 partner organisations (at least two active), 1 to 3 direct customers, and their people. */
export const world = (): fc.Arbitrary<World> =>
  fc
    .record({
      orgs: fc.array(orgShape, { minLength: 3, maxLength: 5 }),
      direct: fc.array(clientShape, { minLength: 1, maxLength: 3 }),
      timezone: fc.constantFrom("Europe/Berlin", "America/New_York", "Australia/Sydney", "UTC")
    })
    .map(({ direct, orgs, timezone }) =>
      build(orgs.map((o, i) => (i < 2 ? { ...o, active: true, admins: Math.max(1, o.admins) } : o)), direct, timezone)
    )

const build = (
  orgShapes: ReadonlyArray<OrgShape>,
  directShapes: ReadonlyArray<OrgShape["clients"][number]>,
  timezone: string
): World => {
  const orgs: Array<Tenancy.PartnerOrg> = []
  const clients: Array<Tenancy.Client> = []
  const users: Array<User.User> = []
  const memberships: Array<Role.Membership> = []
  const assignments: Array<Tenancy.Assignment> = []
  let n = 0
  const person = (label: string, membership: (id: Ids.UserId) => Role.Membership) => {
    const id = Ids.UserId.make(`usr_${String(++n).padStart(4, "0")}`)
    users.push(
      new User.User({
        id,
        subject: `sub-${id}`,
        email: address(`${label}.${n}@world.example`),
        emailVerified: true,
        displayName: label,
        createdAt: epoch
      })
    )
    memberships.push(membership(id))
    return id
  }
  const addClient = (
    id: string,
    partnerOrgId: Ids.PartnerOrgId | null,
    shape: OrgShape["clients"][number]
  ): Tenancy.Client => {
    const client = new Tenancy.Client({
      id: Ids.ClientId.make(id),
      partnerOrgId,
      name: `Client ${id}`,
      status: shape.archived ? "archived" : "active",
      createdAt: epoch
    })
    clients.push(client)
    for (let c = 0; c < shape.customers; c++) {
      const role = c === 0 ? "customer_admin" : "customer_user"
      person(role, (userId) => new Role.CustomerMembership({ userId, clientId: client.id, role }))
    }
    return client
  }
  person("aidial_admin", (userId) => new Role.PlatformMembership({ userId, role: "aidial_admin" }))
  person("aidial_operator", (userId) => new Role.PlatformMembership({ userId, role: "aidial_operator" }))
  orgShapes.forEach((shape, i) => {
    const org = new Tenancy.PartnerOrg({
      id: Ids.PartnerOrgId.make(`org_${i}`),
      name: `Partner ${i}`,
      description: "",
      status: shape.active ? "active" : "provisioning",
      createdAt: epoch
    })
    orgs.push(org)
    const own = shape.clients.map((c, j) => addClient(`cli_${i}_${j}`, org.id, c))
    for (let a = 0; a < shape.admins; a++) {
      person("partner_admin", (userId) => new Role.PartnerMembership({ userId, partnerOrgId: org.id, role: "partner_admin" }))
    }
    for (const picks of shape.users) {
      const userId = person(
        "partner_user",
        (id) => new Role.PartnerMembership({ userId: id, partnerOrgId: org.id, role: "partner_user" })
      )
      own.forEach((client, j) => {
        if (picks[j] === true) assignments.push(new Tenancy.Assignment({ userId, clientId: client.id, createdAt: epoch }))
      })
    }
  })
  directShapes.forEach((shape, j) => addClient(`cli_d_${j}`, null, shape))
  // A signed-in user who holds no membership yet (before accepting an invitation).
  const stranger = Ids.UserId.make(`usr_${String(++n).padStart(4, "0")}`)
  users.push(
    new User.User({
      id: stranger,
      subject: `sub-${stranger}`,
      email: address(`unaffiliated.${n}@world.example`),
      emailVerified: true,
      displayName: "unaffiliated",
      createdAt: epoch
    })
  )
  const projects = clients.flatMap((client) =>
    (["live", "test"] as const).map((environment) =>
      new Project.Project({
        id: Ids.ProjectId.make(`prj_${client.id}_${environment}`),
        clientId: client.id,
        environment,
        displayName: `${client.name} ${environment}`,
        timezone: zone(timezone),
        isActive: true,
        createdAt: epoch
      })
    )
  )
  const principals = [...principalsOf(orgs, clients, memberships, assignments), Principal.Unaffiliated({ userId: stranger })]
  return { orgs, clients, projects, users, memberships, assignments, principals }
}

/** Every principal of a world, built the way authentication builds them. */
export const principalsOf = (
  orgs: ReadonlyArray<Tenancy.PartnerOrg>,
  clients: ReadonlyArray<Tenancy.Client>,
  memberships: ReadonlyArray<Role.Membership>,
  assignments: ReadonlyArray<Tenancy.Assignment>
): ReadonlyArray<Principal.Principal> => {
  const statusOf = new Map(orgs.map((o) => [o.id, o.status]))
  const users = memberships.flatMap((m): ReadonlyArray<Principal.Principal> => {
    switch (m._tag) {
      case "PlatformMembership":
        return [null, ...clients.map((c) => c.id)].map((selectedClientId) =>
          Principal.PlatformUser({ userId: m.userId, role: m.role, selectedClientId })
        )
      case "PartnerMembership": {
        const status = statusOf.get(m.partnerOrgId)
        if (status === undefined) return []
        const assigned = m.role === "partner_user"
          ? assignments.filter((a) => a.userId === m.userId).map((a) => a.clientId)
          : []
        return [Principal.PartnerUser({
          userId: m.userId,
          role: m.role,
          partnerOrgId: m.partnerOrgId,
          partnerOrgStatus: status,
          assignedClientIds: new Set(assigned)
        })]
      }
      case "CustomerMembership":
        return [Principal.CustomerUser({ userId: m.userId, role: m.role, clientId: m.clientId })]
    }
  })
  const keys = clients.flatMap((client, i) =>
    (["read", "manage"] as const).flatMap((scope) =>
      (["live", "test"] as const).map((environment) =>
        Principal.ApiKey({ keyId: Ids.ApiKeyId.make(`key_${i}_${scope}_${environment}`), clientId: client.id, environment, scope })
      )
    )
  )
  return [...users, ...keys]
}

/** Stores a world through the tenancy ports (not inside a transaction): `Fixtures.seed`. */
export const seed = (world: World): Effect.Effect<void, StorageError.StorageError, TenancyRepos> => Fixtures.seed(world)

/** A world and one of its principals; `null` when the world holds none of the kind asked for (use `fc.pre`). */
export interface WorldWithPrincipal {
  readonly world: World
  readonly principal: Principal.Principal | null
}

/** The kind of a principal: its tag with its role or key scope. */
const kindOf = (p: Principal.Principal): string => {
  switch (p._tag) {
    case "ApiKey":
      return `ApiKey ${p.scope}`
    case "Unaffiliated":
      return p._tag
    default:
      return `${p._tag} ${p.role}`
  }
}

/**
 * A world and one of its principals that `pick` accepts: first a kind (tag and role or scope) with
 * equal chances, then a principal of that kind, so rare kinds (a partner_user of an organisation still
 * provisioning, a user without a membership) come up as often as API keys, of which worlds hold many.
 */
export const worldWithPrincipal = (
  pick: (principal: Principal.Principal) => boolean = () => true
): fc.Arbitrary<WorldWithPrincipal> =>
  world().chain((w): fc.Arbitrary<WorldWithPrincipal> => {
    const kinds = new Map<string, Array<Principal.Principal>>()
    for (const p of w.principals.filter(pick)) kinds.set(kindOf(p), [...(kinds.get(kindOf(p)) ?? []), p])
    const groups = [...kinds.values()]
    return groups.length === 0
      ? fc.constant<WorldWithPrincipal>({ world: w, principal: null })
      : fc.constantFrom(...groups).chain((group) =>
        fc.constantFrom(...group).map((principal): WorldWithPrincipal => ({ world: w, principal }))
      )
  })

/** Every target a world holds: the platform, each organisation, each client as itself and per environment. */
export const targetsOf = (w: World): ReadonlyArray<Policy.Target> => [
  Policy.platformTarget,
  ...w.orgs.map((org) => Policy.partnerOrgTarget(org)),
  ...w.clients.flatMap((client) => [
    Policy.clientTarget(client),
    Policy.clientTarget(client, "live"),
    Policy.clientTarget(client, "test")
  ])
]
