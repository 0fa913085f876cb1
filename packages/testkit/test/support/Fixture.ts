import { NodeSecrets } from "@aidial/adapters-node"
import {
  AssignmentRepo,
  AuditLog,
  ClientRepo,
  Ids,
  InvitationRepo,
  MembershipRepo,
  Outbox,
  PartnerOrgRepo,
  PartnerOrgs,
  Principals,
  Role,
  type Secrets,
  type Team,
  Teams,
  User
} from "@aidial/domain"
import { Effect, Layer, Redacted, Schema } from "effect"
import { expect } from "vitest"
import * as Fixtures from "../../src/Fixtures.js"
import * as MemoryStack from "../../src/MemoryStack.js"

export const secrets: Layer.Layer<Secrets.Secrets> = NodeSecrets.layer({ pepper: Redacted.make("test-pepper") })

/** Fresh memory storage, a standing clock, sequential ids and real secrets. */
export const layer = () => Layer.mergeAll(MemoryStack.layerMemory, MemoryStack.layerRuntime(), secrets)
export type Env = MemoryStack.Storage | MemoryStack.Runtime | Secrets.Secrets

export const email = (raw: string) => Schema.decodeSync(User.EmailFromInput)(raw)
const all = { after: null, limit: 1000 }

let users = 0
/** Stores a signed-in user. */
export const addUser = (address: string, verified = true) =>
  Effect.gen(function*() {
    const n = ++users
    const user = Fixtures.makeUser({
      id: Ids.UserId.make(`usr_t${n}`),
      subject: `sub-${n}`,
      email: email(address),
      emailVerified: verified,
      displayName: address.split("@")[0] ?? address,
      createdAt: new Date("2025-12-01T00:00:00.000Z")
    })
    yield* Fixtures.seed({ users: [user] })
    return user
  })

/** The principal a user acts as now (memberships read from storage). */
export const principalOf = (user: User.User, selected: Ids.ClientId | null = null) => Principals.forUser(user, selected)

/** A user with a platform role. */
export const platformUser = (role: Role.PlatformRole = "aidial_admin", selected: Ids.ClientId | null = null) =>
  Effect.gen(function*() {
    const user = yield* addUser(`${role}-${users + 1}@aidial.example`)
    yield* Fixtures.seed({ memberships: [new Role.PlatformMembership({ userId: user.id, role })] })
    return yield* principalOf(user, selected)
  })

/** The acceptance code inside a link. */
export const codeOf = (issued: Teams.Issued): Redacted.Redacted<string> => {
  const match = /[?&]code=([^&]+)/.exec(Redacted.value(issued.link))
  return Redacted.make(decodeURIComponent(match?.[1] ?? ""))
}

/** Invites `address` to `org` and has a new verified user with that address accept. */
export const join = (
  inviter: Parameters<typeof PartnerOrgs.edit>[0],
  org: Ids.PartnerOrgId,
  address: string,
  role: Role.PartnerRole
) =>
  Effect.gen(function*() {
    const issued = yield* Teams.invite(inviter, org, { email: email(address), role, message: null })
    const user = yield* addUser(address)
    yield* Teams.accept(user, codeOf(issued))
    return { user, principal: yield* principalOf(user), invitation: issued.invitation }
  })

/** A platform admin, an organisation bootstrapped with one partner_admin, and that admin. */
export const bootstrap = (name = "Acme Partners") =>
  Effect.gen(function*() {
    const platform = yield* platformUser()
    const org = yield* PartnerOrgs.provision(platform, { name, description: "A reseller" })
    const admin = yield* join(platform, org.id, `admin@${org.id}.example`, "partner_admin")
    return { platform, org, admin }
  })

/** Everything the use cases under test can change, read back through the ports. */
export const snapshot = Effect.gen(function*() {
  const orgs = (yield* (yield* PartnerOrgRepo.PartnerOrgRepo).list(all)).items
  const clients = (yield* (yield* ClientRepo.ClientRepo).list({}, all)).items
  const memberships = yield* MembershipRepo.MembershipRepo
  const invitations = yield* InvitationRepo.InvitationRepo
  const assignments = yield* AssignmentRepo.AssignmentRepo
  return {
    orgs,
    clients,
    members: yield* Effect.forEach(orgs, (o) => memberships.listByPartnerOrg(o.id)),
    invitations: yield* Effect.forEach(orgs, (o) => Effect.map(invitations.list(o.id, {}, all), (p) => p.items)),
    assignments: yield* Effect.forEach(clients, (c) => assignments.usersOf(c.id)),
    audit: (yield* (yield* AuditLog.AuditLog).query({}, all)).items,
    outbox: (yield* (yield* Outbox.Outbox).pending(1000)).map((m) => m.id)
  }
})

/** Runs `refused`, expects it to fail with `tag`, and checks that it changed nothing. */
export const refusedUnchanged = <A, E extends { readonly _tag: string }, R>(
  refused: Effect.Effect<A, E, R>,
  tag: E["_tag"]
) =>
  Effect.gen(function*() {
    const before = yield* snapshot
    const error = yield* Effect.flip(refused)
    const after = yield* snapshot
    expect(error._tag).toBe(tag)
    expect(after).toEqual(before)
    return error
  })

export type Invitation = Team.Invitation
