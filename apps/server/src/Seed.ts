/**
 * The demo world an empty database starts with: two partner organisations (an admin and a user each,
 * the user assigned one client), clients with a project in both `live` and `test`, a direct customer,
 * AiDial staff (an admin and an operator), and two verified users without any membership to invite into a
 * new partner organisation (the partner-team walkthrough); Bright Smile Dental's live project has two
 * published versions and a draft one edit ahead (the projects walkthrough). Ids are fixed and readable so the printed curl examples
 * work on every start; only the domain ports are used, so it runs on any storage.
 */
import {
  Clock,
  Configuration,
  ContentHash,
  DraftRepo,
  EntitlementRepo,
  Entitlements,
  Ids,
  PartnerOrgRepo,
  Project,
  Role,
  type ProjectConfigRepos,
  type StorageError,
  Tenancy,
  TenancyFacts,
  type TenancyRepos,
  Transactor,
  User,
  VersionRepo
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

/** The demo's configured project: Bright Smile Dental's live receptionist. */
export const configuredProject = Ids.ProjectId.make("prj_acme_dental_live")

const dentalAgent: Configuration.Document["agent"] = {
  instructions: "You are the receptionist of Bright Smile Dental. Book, move and cancel appointments; never give medical advice.",
  first_message: "Thanks for calling Bright Smile Dental, how can I help?",
  language: "en-AU",
  voice: "aria",
  model: "default"
}

/** Version 1, version 2 (hours and limits added), and the draft (a warmer greeting) of the configured project. */
const dentalDocuments: ReadonlyArray<Configuration.Document> = [
  { agent: dentalAgent, knowledge: { knowledge_base_ids: ["kb_dental_faq"] } },
  {
    agent: dentalAgent,
    knowledge: { knowledge_base_ids: ["kb_dental_faq", "kb_dental_prices"] },
    business_hours: {
      weekly: (["mon", "tue", "wed", "thu", "fri"] as const).map((day) => ({ day, open: "08:30", close: "17:30" })),
      closed_dates: ["2026-12-25"]
    },
    call_limits: { max_concurrent_calls: 4, max_call_minutes: 15, daily_call_cap: 400 }
  }
]

/** Entitlements, two published versions and a draft one edit ahead, written straight through the ports. */
const configure = (now: Date) =>
  Effect.gen(function*() {
    const clientId = Ids.ClientId.make("cli_acme_dental")
    yield* (yield* EntitlementRepo.EntitlementRepo).put(new Entitlements.Entitlements({
      clientId,
      enabled: ["agent", "knowledge", "telephony", "business_hours", "call_limits"],
      updatedAt: now
    }))
    const versions = yield* VersionRepo.VersionRepo
    for (const [i, document] of dentalDocuments.entries()) {
      yield* versions.insert(new Project.Version({
        projectId: configuredProject,
        version: i + 1,
        document,
        contentHash: ContentHash.of(Configuration.toJson(document)),
        revision: i + 1,
        publishedAt: now,
        publishedBy: "usr_acme_admin",
        note: i === 0 ? "First receptionist" : "Opening hours and call limits"
      })).pipe(Effect.orDie)
    }
    const latest = dentalDocuments[dentalDocuments.length - 1] ?? Configuration.empty
    const draft = { ...latest, agent: { ...latest.agent, first_message: "Hi, you've reached Bright Smile Dental! How can I help today?" } }
    yield* (yield* DraftRepo.DraftRepo).save(
      new Project.Draft({ projectId: configuredProject, revision: 3, document: draft, updatedAt: now, updatedBy: "usr_acme_admin", restoredFrom: null }),
      0
    ).pipe(Effect.orDie)
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
  TenancyRepos | ProjectConfigRepos | Clock.Clock | Transactor.Transactor
> = Effect.gen(function*() {
  if (!(yield* isEmpty)) return false
  const now = yield* (yield* Clock.Clock).now
  const client = (c: { readonly id: string; readonly name: string }, partnerOrgId: Ids.PartnerOrgId | null) =>
    new Tenancy.Client({ id: Ids.ClientId.make(c.id), partnerOrgId, name: c.name, status: "active", createdAt: now })
  const partnered = orgs.flatMap((org) => org.clients.map((c) => ({ org, c })))
  const people = users.map((user) => ({
    user,
    stored: new User.User({
      id: Ids.UserId.make(user.id),
      subject: user.subject,
      email: User.Email.make(user.email),
      emailVerified: true,
      displayName: user.displayName,
      createdAt: now
    })
  }))
  const memberships: Array<Role.Membership> = []
  for (const { user } of people) {
    const m = yield* membership(user)
    if (m !== null) memberships.push(m)
  }
  const facts: TenancyFacts.Facts = {
    orgs: orgs.map((org) =>
      new Tenancy.PartnerOrg({ id: Ids.PartnerOrgId.make(org.id), name: org.name, description: "Demo partner organisation", status: "active", createdAt: now })
    ),
    clients: [...partnered.map(({ c, org }) => client(c, Ids.PartnerOrgId.make(org.id))), client(directClient, null)],
    projects: [
      ...partnered.flatMap(({ c }) => [project(c, "live", now), project(c, "test", now)]),
      project(directClient, "live", now)
    ],
    users: people.map(({ stored }) => stored),
    memberships,
    assignments: people.flatMap(({ user, stored }) =>
      user.assigned.map((clientId) => new Tenancy.Assignment({ userId: stored.id, clientId: Ids.ClientId.make(clientId), createdAt: now }))
    )
  }
  const write = Effect.zipRight(TenancyFacts.store(facts), configure(now))
  yield* (yield* Transactor.Transactor).withTransaction(write)
  return true
})
