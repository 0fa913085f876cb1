/**
 * The demo world an empty database starts with: two partner organisations (an admin and a user each,
 * the user assigned one client), clients with a project in both `live` and `test`, a direct customer,
 * AiDial staff (an admin and an operator), and two verified users without any membership to invite into a
 * new partner organisation (the partner-team walkthrough). Ids are fixed and readable so the printed curl examples
 * work on every start; only the domain ports are used, so it runs on any storage.
 */
import {
  AssignmentRepo,
  ClientRepo,
  Clock,
  Ids,
  MembershipRepo,
  PartnerOrgRepo,
  Project,
  ProjectRepo,
  Role,
  type StorageError,
  Tenancy,
  type TenancyRepos,
  Transactor,
  User,
  UserRepo
} from "@aidial/domain"
import { Effect } from "effect"

/** A demo organisation with its clients. */
const orgs = [
  {
    id: "org_acme",
    name: "Acme Voice Partners",
    clients: [
      { id: "cli_acme_dental", name: "Bright Smile Dental", timezone: "Australia/Sydney" },
      { id: "cli_acme_plumbing", name: "Rapid Plumbing Co", timezone: "Australia/Melbourne" }
    ]
  },
  {
    id: "org_globex",
    name: "Globex Resellers",
    clients: [
      { id: "cli_globex_clinic", name: "Harbour Health Clinic", timezone: "Pacific/Auckland" },
      { id: "cli_globex_hotel", name: "Seaside Hotel", timezone: "Europe/London" }
    ]
  }
] as const

const directClient = { id: "cli_direct_bakery", name: "Corner Bakery", timezone: "America/New_York" } as const

/** A demo user: who they are and what membership they hold. */
export interface DemoUser {
  readonly id: string
  readonly subject: string
  readonly email: string
  readonly displayName: string
  /** `null` for a user with no membership yet. */
  readonly role: Role.Role | null
  /** The partner organisation (partner roles) or client (customer roles). */
  readonly of: string | null
  /** Clients assigned to a partner_user. */
  readonly assigned: ReadonlyArray<string>
}

/** Every demo user; `subject` is the `sub` of their bearer token. */
export const users: ReadonlyArray<DemoUser> = [
  { id: "usr_platform_admin", subject: "demo-platform-admin", email: "pat@aidial.example", displayName: "Pat (AiDial admin)", role: "aidial_admin", of: null, assigned: [] },
  { id: "usr_operator", subject: "demo-operator", email: "olga@aidial.example", displayName: "Olga (AiDial operator)", role: "aidial_operator", of: null, assigned: [] },
  { id: "usr_acme_admin", subject: "demo-acme-admin", email: "alice@acme.example", displayName: "Alice (Acme admin)", role: "partner_admin", of: "org_acme", assigned: [] },
  { id: "usr_acme_user", subject: "demo-acme-user", email: "bob@acme.example", displayName: "Bob (Acme user)", role: "partner_user", of: "org_acme", assigned: ["cli_acme_dental"] },
  { id: "usr_globex_admin", subject: "demo-globex-admin", email: "carol@globex.example", displayName: "Carol (Globex admin)", role: "partner_admin", of: "org_globex", assigned: [] },
  { id: "usr_globex_user", subject: "demo-globex-user", email: "dave@globex.example", displayName: "Dave (Globex user)", role: "partner_user", of: "org_globex", assigned: ["cli_globex_clinic"] },
  { id: "usr_bakery_user", subject: "demo-bakery-user", email: "erin@bakery.example", displayName: "Erin (Corner Bakery)", role: "customer_user", of: "cli_direct_bakery", assigned: [] },
  { id: "usr_new_partner", subject: "demo-new-partner", email: "new.partner@example.com", displayName: "Nina (new partner)", role: null, of: null, assigned: [] },
  { id: "usr_new_colleague", subject: "demo-new-colleague", email: "new.colleague@example.com", displayName: "Noah (new colleague)", role: null, of: null, assigned: [] }
]

const membership = (user: DemoUser): Effect.Effect<Role.Membership | null> => {
  const userId = Ids.UserId.make(user.id)
  switch (user.role) {
    case null:
      return Effect.succeed(null)
    case "aidial_admin":
    case "aidial_operator":
      return Effect.succeed(new Role.PlatformMembership({ userId, role: user.role }))
    case "partner_admin":
    case "partner_user":
      return user.of === null
        ? Effect.dieMessage(`${user.id} has no organisation`)
        : Effect.succeed(new Role.PartnerMembership({ userId, role: user.role, partnerOrgId: Ids.PartnerOrgId.make(user.of) }))
    case "customer_admin":
    case "customer_user":
      return user.of === null
        ? Effect.dieMessage(`${user.id} has no client`)
        : Effect.succeed(new Role.CustomerMembership({ userId, role: user.role, clientId: Ids.ClientId.make(user.of) }))
  }
}

const project = (client: { readonly id: string; readonly name: string; readonly timezone: string }, environment: Tenancy.DataEnvironment, now: Date) =>
  new Project.Project({
    id: Ids.ProjectId.make(`prj_${client.id.slice("cli_".length)}_${environment}`),
    clientId: Ids.ClientId.make(client.id),
    environment,
    displayName: `${client.name} receptionist${environment === "test" ? " (test)" : ""}`,
    timezone: Tenancy.Timezone.make(client.timezone),
    isActive: environment === "live",
    createdAt: now
  })

/** Whether the database holds no partner organisation yet. */
export const isEmpty: Effect.Effect<boolean, StorageError.StorageError, PartnerOrgRepo.PartnerOrgRepo> = Effect.map(
  Effect.flatMap(PartnerOrgRepo.PartnerOrgRepo, (repo) => repo.list({ after: null, limit: 1 })),
  (page) => page.items.length === 0
)

/** Writes the demo world in one transaction when the database is empty; `true` when it seeded. */
export const seed: Effect.Effect<
  boolean,
  StorageError.StorageError,
  TenancyRepos | Clock.Clock | Transactor.Transactor
> = Effect.gen(function*() {
  if (!(yield* isEmpty)) return false
  const now = yield* (yield* Clock.Clock).now
  const partnerOrgs = yield* PartnerOrgRepo.PartnerOrgRepo
  const clients = yield* ClientRepo.ClientRepo
  const projects = yield* ProjectRepo.ProjectRepo
  const userRepo = yield* UserRepo.UserRepo
  const memberships = yield* MembershipRepo.MembershipRepo
  const assignments = yield* AssignmentRepo.AssignmentRepo
  const write = Effect.gen(function*() {
    for (const org of orgs) {
      const partnerOrgId = Ids.PartnerOrgId.make(org.id)
      yield* partnerOrgs.insert(new Tenancy.PartnerOrg({ id: partnerOrgId, name: org.name, description: "Demo partner organisation", status: "active", createdAt: now }))
      for (const client of org.clients) {
        yield* clients.insert(new Tenancy.Client({ id: Ids.ClientId.make(client.id), partnerOrgId, name: client.name, status: "active", createdAt: now }))
        yield* projects.insert(project(client, "live", now))
        yield* projects.insert(project(client, "test", now))
      }
    }
    yield* clients.insert(new Tenancy.Client({ id: Ids.ClientId.make(directClient.id), partnerOrgId: null, name: directClient.name, status: "active", createdAt: now }))
    yield* projects.insert(project(directClient, "live", now))
    for (const user of users) {
      const userId = Ids.UserId.make(user.id)
      yield* userRepo.insert(new User.User({
        id: userId,
        subject: user.subject,
        email: User.Email.make(user.email),
        emailVerified: true,
        displayName: user.displayName,
        createdAt: now
      }))
      const m = yield* membership(user)
      if (m !== null) yield* memberships.put(m)
      for (const clientId of user.assigned) {
        yield* assignments.assign(new Tenancy.Assignment({ userId, clientId: Ids.ClientId.make(clientId), createdAt: now }))
      }
    }
  })
  yield* (yield* Transactor.Transactor).withTransaction(write)
  return true
})
