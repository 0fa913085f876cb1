/** A seeded tenancy world for the HTTP tests: two partner orgs, platform staff and a direct customer. */
import { Ids, type ProjectConfigRepos, type Role, type StorageError, Tenancy, type TenancyRepos, User } from "@aidial/domain"
import { Fixtures, MemoryProjectConfig, MemoryTenancy } from "@aidial/testkit"
import { Layer } from "effect"

const at = new Date("2025-06-01T00:00:00.000Z")

export const ids = {
  orgA: Ids.PartnerOrgId.make("org_a"),
  orgB: Ids.PartnerOrgId.make("org_b"),
  clientA1: Ids.ClientId.make("cli_a1"),
  clientA2: Ids.ClientId.make("cli_a2"),
  clientB1: Ids.ClientId.make("cli_b1"),
  clientDirect: Ids.ClientId.make("cli_direct"),
  projectA1Live: Ids.ProjectId.make("prj_a1_live"),
  projectA1Test: Ids.ProjectId.make("prj_a1_test"),
  projectA2Live: Ids.ProjectId.make("prj_a2_live"),
  projectB1Live: Ids.ProjectId.make("prj_b1_live"),
  projectB1Test: Ids.ProjectId.make("prj_b1_test"),
  projectDirect: Ids.ProjectId.make("prj_direct_live")
} as const

/** Each seeded user's token subject. */
export const subjects = {
  adminA: "sub-admin-a",
  userA: "sub-user-a",
  adminB: "sub-admin-b",
  userB: "sub-user-b",
  platformAdmin: "sub-platform-admin",
  operator: "sub-operator",
  customer: "sub-customer",
  unaffiliated: "sub-nobody"
} as const

type Who = keyof typeof subjects

/** The user id of each seeded user. */
export const userId = (who: Who): Ids.UserId => Ids.UserId.make(`usr_${subjects[who].replaceAll("-", "_")}`)

const membership = (who: Who): Role.Membership | null => {
  const id = userId(who)
  switch (who) {
    case "adminA":
      return Fixtures.makePartnerMembership(id, ids.orgA, "partner_admin")
    case "userA":
      return Fixtures.makePartnerMembership(id, ids.orgA, "partner_user")
    case "adminB":
      return Fixtures.makePartnerMembership(id, ids.orgB, "partner_admin")
    case "userB":
      return Fixtures.makePartnerMembership(id, ids.orgB, "partner_user")
    case "platformAdmin":
      return Fixtures.makePlatformMembership(id, "aidial_admin")
    case "operator":
      return Fixtures.makePlatformMembership(id, "aidial_operator")
    case "customer":
      return Fixtures.makeCustomerMembership(id, ids.clientDirect, "customer_user")
    case "unaffiliated":
      return null
  }
}

const everyone = Object.keys(subjects).filter((k): k is Who => k in subjects)

/** The world as plain values. */
export const facts: Fixtures.Facts = {
  orgs: ([[ids.orgA, "Acme Partners"], [ids.orgB, "Borealis Resellers"]] as const).map(([id, name]) =>
    Fixtures.makePartnerOrg({ id, name, createdAt: at })
  ),
  clients: ([
    [ids.clientA1, ids.orgA, "A One"],
    [ids.clientA2, ids.orgA, "A Two"],
    [ids.clientB1, ids.orgB, "B One"],
    [ids.clientDirect, null, "Direct Customer"]
  ] as const).map(([id, partnerOrgId, name]) => Fixtures.makeClient({ id, partnerOrgId, name, createdAt: at })),
  projects: ([
    [ids.projectA1Live, ids.clientA1, "live"],
    [ids.projectA1Test, ids.clientA1, "test"],
    [ids.projectA2Live, ids.clientA2, "live"],
    [ids.projectB1Live, ids.clientB1, "live"],
    [ids.projectB1Test, ids.clientB1, "test"],
    [ids.projectDirect, ids.clientDirect, "live"]
  ] as const).map(([id, clientId, environment]) =>
    Fixtures.makeProject({ id, clientId, environment, displayName: `Project ${id}`, timezone: Tenancy.Timezone.make("Australia/Sydney"), createdAt: at })
  ),
  users: everyone.map((who) =>
    Fixtures.makeUser({ id: userId(who), subject: subjects[who], email: User.Email.make(`${who.toLowerCase()}@example.com`), displayName: who, createdAt: at })
  ),
  memberships: everyone.flatMap((who) => membership(who) ?? []),
  assignments: [
    Fixtures.makeAssignment(userId("userA"), ids.clientA1, at),
    Fixtures.makeAssignment(userId("userB"), ids.clientB1, at)
  ]
}

/** Memory tenancy repositories holding the world, and empty project-configuration repositories. */
export const layer: Layer.Layer<TenancyRepos | ProjectConfigRepos, StorageError.StorageError> = Layer.effectDiscard(
  Fixtures.seed(facts)
).pipe(Layer.provideMerge(Layer.merge(MemoryTenancy.layerMemory, MemoryProjectConfig.layerMemory)))
