import {
  Audit,
  Ids,
  Project,
  Role,
  type StorageError,
  Tenancy,
  TenancyFacts,
  type TenancyRepos,
  User
} from "@aidial/domain"
import type { Effect } from "effect"

/** The instant fixtures are created at unless a test says otherwise. */
export const defaultInstant: Date = new Date("2026-01-01T00:00:00.000Z")

let counter = 0
/** A fresh `<prefix>_f<n>` id, zero-padded so that creation order is id order. */
const fresh = (kind: Ids.IdKind): string => `${Ids.prefixes[kind]}_f${String(++counter).padStart(6, "0")}`

type Fields<A> = { -readonly [K in keyof A]?: A[K] }

/** A partner organisation (`active`, fresh id) with any field overridden. */
export const makePartnerOrg = (overrides: Fields<Tenancy.PartnerOrg> = {}): Tenancy.PartnerOrg =>
  new Tenancy.PartnerOrg({
    id: Ids.PartnerOrgId.make(fresh("partnerOrg")),
    name: "Acme Partners",
    description: "",
    status: "active",
    createdAt: defaultInstant,
    ...overrides
  })

/** A client (`active`, direct customer unless `partnerOrgId` is given, fresh id) with any field overridden. */
export const makeClient = (overrides: Fields<Tenancy.Client> = {}): Tenancy.Client =>
  new Tenancy.Client({
    id: Ids.ClientId.make(fresh("client")),
    partnerOrgId: null,
    name: "Globex",
    status: "active",
    createdAt: defaultInstant,
    ...overrides
  })

/** A project (`live`, active, Europe/London, fresh ids) with any field overridden. */
export const makeProject = (overrides: Fields<Project.Project> = {}): Project.Project =>
  new Project.Project({
    id: Ids.ProjectId.make(fresh("project")),
    clientId: Ids.ClientId.make(fresh("client")),
    environment: "live",
    displayName: "Reception",
    timezone: Tenancy.Timezone.make("Europe/London"),
    isActive: true,
    createdAt: defaultInstant,
    ...overrides
  })

/** A user with a verified email and subject derived from the (fresh) id, with any field overridden. */
export const makeUser = (overrides: Fields<User.User> = {}): User.User => {
  const id = overrides.id ?? Ids.UserId.make(fresh("user"))
  return new User.User({
    id,
    subject: `idp|${id}`,
    email: User.Email.make(`${id.toLowerCase()}@example.com`),
    emailVerified: true,
    displayName: "Ada Lovelace",
    createdAt: defaultInstant,
    ...overrides
  })
}

/** An assignment of a user to a client. */
export const makeAssignment = (
  userId: Ids.UserId,
  clientId: Ids.ClientId,
  createdAt: Date = defaultInstant
): Tenancy.Assignment => new Tenancy.Assignment({ userId, clientId, createdAt })

/** An AiDial staff membership (`aidial_admin` unless given). */
export const makePlatformMembership = (
  userId: Ids.UserId,
  role: Role.PlatformRole = "aidial_admin"
): Role.PlatformMembership => new Role.PlatformMembership({ userId, role })

/** A partner organisation membership (`partner_admin` unless given). */
export const makePartnerMembership = (
  userId: Ids.UserId,
  partnerOrgId: Ids.PartnerOrgId,
  role: Role.PartnerRole = "partner_admin"
): Role.PartnerMembership => new Role.PartnerMembership({ userId, partnerOrgId, role })

/** A client membership (`customer_admin` unless given). */
export const makeCustomerMembership = (
  userId: Ids.UserId,
  clientId: Ids.ClientId,
  role: Role.CustomerRole = "customer_admin"
): Role.CustomerMembership => new Role.CustomerMembership({ userId, clientId, role })

/** A successful audit event by a system actor (fresh id, no client) with any field overridden. */
export const makeAuditEvent = (overrides: Fields<Audit.AuditEvent> = {}): Audit.AuditEvent =>
  new Audit.AuditEvent({
    id: fresh("auditEvent"),
    at: defaultInstant,
    actor: { kind: "system", id: null },
    action: "client.view",
    targetType: "client",
    targetId: null,
    clientId: null,
    partnerOrgId: null,
    outcome: "success",
    requestId: "req_fixture",
    details: {},
    ...overrides
  })

/** A tenancy as plain values, every part optional: what `seed` stores. Every test world is one. */
export type Facts = TenancyFacts.Facts

/** Stores the facts through the tenancy ports: the domain's `TenancyFacts.store`, as the server's demo world is. */
export const seed: (facts: Facts) => Effect.Effect<void, StorageError.StorageError, TenancyRepos> = TenancyFacts.store
