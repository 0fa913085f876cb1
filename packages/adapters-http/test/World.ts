/** A seeded tenancy world for the HTTP tests: two partner orgs, platform staff and a direct customer. */
import {
  AssignmentRepo,
  ClientRepo,
  Ids,
  type StorageError,
  MembershipRepo,
  PartnerOrgRepo,
  Project,
  ProjectRepo,
  Role,
  Tenancy,
  type ProjectConfigRepos,
  type TenancyRepos,
  User,
  UserRepo
} from "@aidial/domain"
import { MemoryProjectConfig, MemoryTenancy } from "@aidial/testkit"
import { Effect, Layer } from "effect"

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

const membership = (who: Who, userId: Ids.UserId): Role.Membership | null => {
  switch (who) {
    case "adminA":
      return new Role.PartnerMembership({ userId, partnerOrgId: ids.orgA, role: "partner_admin" })
    case "userA":
      return new Role.PartnerMembership({ userId, partnerOrgId: ids.orgA, role: "partner_user" })
    case "adminB":
      return new Role.PartnerMembership({ userId, partnerOrgId: ids.orgB, role: "partner_admin" })
    case "userB":
      return new Role.PartnerMembership({ userId, partnerOrgId: ids.orgB, role: "partner_user" })
    case "platformAdmin":
      return new Role.PlatformMembership({ userId, role: "aidial_admin" })
    case "operator":
      return new Role.PlatformMembership({ userId, role: "aidial_operator" })
    case "customer":
      return new Role.CustomerMembership({ userId, clientId: ids.clientDirect, role: "customer_user" })
    case "unaffiliated":
      return null
  }
}

/** The user id of each seeded user. */
export const userId = (who: Who): Ids.UserId => Ids.UserId.make(`usr_${subjects[who].replaceAll("-", "_")}`)

const seed = Effect.gen(function*() {
  const orgs = yield* PartnerOrgRepo.PartnerOrgRepo
  const clients = yield* ClientRepo.ClientRepo
  const projects = yield* ProjectRepo.ProjectRepo
  const users = yield* UserRepo.UserRepo
  const memberships = yield* MembershipRepo.MembershipRepo
  const assignments = yield* AssignmentRepo.AssignmentRepo
  for (const [id, name] of [[ids.orgA, "Acme Partners"], [ids.orgB, "Borealis Resellers"]] as const) {
    yield* orgs.insert(new Tenancy.PartnerOrg({ id, name, description: "", status: "active", createdAt: at }))
  }
  const clientRows = [
    [ids.clientA1, ids.orgA, "A One"],
    [ids.clientA2, ids.orgA, "A Two"],
    [ids.clientB1, ids.orgB, "B One"],
    [ids.clientDirect, null, "Direct Customer"]
  ] as const
  for (const [id, partnerOrgId, name] of clientRows) {
    yield* clients.insert(new Tenancy.Client({ id, partnerOrgId, name, status: "active", createdAt: at }))
  }
  const projectRows = [
    [ids.projectA1Live, ids.clientA1, "live"],
    [ids.projectA1Test, ids.clientA1, "test"],
    [ids.projectA2Live, ids.clientA2, "live"],
    [ids.projectB1Live, ids.clientB1, "live"],
    [ids.projectB1Test, ids.clientB1, "test"],
    [ids.projectDirect, ids.clientDirect, "live"]
  ] as const
  for (const [id, clientId, environment] of projectRows) {
    yield* projects.insert(
      new Project.Project({
        id,
        clientId,
        environment,
        displayName: `Project ${id}`,
        timezone: Tenancy.Timezone.make("Australia/Sydney"),
        isActive: true,
        createdAt: at
      })
    )
  }
  for (const who of Object.keys(subjects).filter((k): k is Who => k in subjects)) {
    const id = userId(who)
    yield* users.insert(
      new User.User({
        id,
        subject: subjects[who],
        email: User.Email.make(`${who.toLowerCase()}@example.com`),
        emailVerified: true,
        displayName: who,
        createdAt: at
      })
    )
    const m = membership(who, id)
    if (m !== null) yield* memberships.put(m)
  }
  yield* assignments.assign(new Tenancy.Assignment({ userId: userId("userA"), clientId: ids.clientA1, createdAt: at }))
  yield* assignments.assign(new Tenancy.Assignment({ userId: userId("userB"), clientId: ids.clientB1, createdAt: at }))
})

/** Memory tenancy repositories holding the world, and empty project-configuration repositories. */
export const layer: Layer.Layer<TenancyRepos | ProjectConfigRepos, StorageError.StorageError> = Layer.effectDiscard(seed).pipe(
  Layer.provideMerge(Layer.merge(MemoryTenancy.layerMemory, MemoryProjectConfig.layerMemory))
)
