import { Duration, Effect, Encoding, Option, Redacted } from "effect"
import type { PartnerOrgId, UserId } from "../Ids.js"
import type * as Page from "../Page.js"
import * as Policy from "../Policy.js"
import { AssignmentRepo } from "../ports/AssignmentRepo.js"
import { Clock } from "../ports/Clock.js"
import { IdGenerator } from "../ports/IdGenerator.js"
import { InvitationRepo, type InvitationFilter } from "../ports/InvitationRepo.js"
import { MemberActivity } from "../ports/MemberActivity.js"
import { MembershipRepo } from "../ports/MembershipRepo.js"
import * as Outbox from "../ports/Outbox.js"
import { PartnerOrgRepo } from "../ports/PartnerOrgRepo.js"
import { Secrets } from "../ports/Secrets.js"
import { Transactor } from "../ports/Transactor.js"
import { UserRepo } from "../ports/UserRepo.js"
import type { Principal } from "../Principal.js"
import { PartnerMembership, type PartnerRole } from "../Role.js"
import * as Team from "../Team.js"
import { PartnerOrg } from "../Tenancy.js"
import type { Email, User } from "../User.js"
import * as AuditTrail from "./AuditTrail.js"
import * as PartnerOrgs from "./PartnerOrgs.js"
import * as Traced from "../Traced.js"

/** A member as the team page shows it. */
export interface Member {
  readonly userId: UserId
  readonly email: Email | null
  readonly displayName: string | null
  readonly role: PartnerRole
  /** Coalesced from `MemberActivity`; absent when never seen. */
  readonly lastActiveAt: Option.Option<Date>
}

/** What an invitation takes; `email` is already normalised (see `User.EmailFromInput`). */
export interface InviteInput {
  readonly email: Email
  readonly role: PartnerRole
  readonly message: string | null
}

/** A new invitation and its acceptance link: the link holds the token and is shown this once. */
export interface Issued {
  readonly invitation: Team.Invitation
  readonly link: Redacted.Redacted<string>
}

const invitedBy = (principal: Principal): UserId | null =>
  principal._tag === "PlatformUser" || principal._tag === "PartnerUser" ? principal.userId : null

const teamEvent = (org: PartnerOrg, action: string, targetType: string, targetId: string, details: Record<string, string>) => ({
  action,
  targetType,
  targetId,
  clientId: null,
  partnerOrgId: org.id,
  details
})

/**
 * Serialises team changes per organisation: the transaction takes the organisation's row lock
 * before it reads the members (the last-admin guard).
 */
const lockOrg = (org: PartnerOrg) => Effect.flatMap(PartnerOrgRepo, (repo) => repo.lock(org.id))

/** Mints a token, stores the invitation and appends its mail to the outbox. */
const issue = Effect.fnUntraced(function*(
  org: PartnerOrg,
  fields: { readonly email: Email; readonly role: PartnerRole; readonly message: string | null },
  by: UserId | null
) {
  const settings = yield* Team.InvitationSettings
  const secrets = yield* Secrets
  const ids = yield* IdGenerator
  const now = yield* (yield* Clock).now
  const id = Team.InvitationId.make(yield* ids.make("invitation"))
  const token = Encoding.encodeBase64Url(yield* secrets.randomBytes(Team.tokenBytes))
  const invitation = new Team.Invitation({
    id,
    partnerOrgId: org.id,
    email: fields.email,
    role: fields.role,
    message: fields.message,
    tokenDigest: yield* secrets.digest(token),
    invitedBy: by,
    createdAt: now,
    expiresAt: new Date(now.getTime() + Duration.toMillis(settings.ttl)),
    status: "pending",
    acceptedBy: null,
    closedAt: null
  })
  const link = Team.acceptLink(settings.acceptUrl, Team.makeCode(id, token))
  yield* (yield* InvitationRepo).insert(invitation)
  yield* (yield* Outbox.Outbox).append(
    new Outbox.OutboxMessage({
      id: yield* ids.make("outbox"),
      topic: Outbox.invitationTopic,
      recipient: invitation.email,
      payload: Redacted.make({
        invitationId: id,
        link,
        organisation: org.name,
        role: invitation.role,
        message: invitation.message ?? "",
        expiresAt: invitation.expiresAt.toISOString()
      }),
      createdAt: now
    })
  )
  return { invitation, link: Redacted.make(link) }
}, Traced.span("Teams.issue"))

/**
 * Loads an invitation of organisation `partnerOrgId` the principal may act on; an invitation of
 * another organisation, or out of scope, is the same `NotFound` as a missing one.
 */
const loadInvitation = Effect.fnUntraced(
  function*(principal: Principal, action: Policy.Action, partnerOrgId: PartnerOrgId, id: Team.InvitationId) {
    const notFound = new Policy.NotFound({ resource: "invitation" })
    const invitation = yield* (yield* InvitationRepo).get(id)
    if (Option.isNone(invitation) || invitation.value.partnerOrgId !== partnerOrgId) return yield* notFound
    const org = yield* PartnerOrgs.load(principal, action, invitation.value.partnerOrgId).pipe(
      Effect.catchTag("NotFound", () => Effect.fail(notFound))
    )
    return { invitation: invitation.value, org }
  },
  Traced.span("Teams.loadInvitation")
)

/** Closes a pending invitation; a concurrent close makes it fail with the state it found. */
const close = Effect.fnUntraced(function*(next: Team.Invitation) {
  const repo = yield* InvitationRepo
  if (yield* repo.updatePending(next)) return
  const stored = yield* repo.get(next.id)
  if (Option.isSome(stored)) yield* Team.refuseClosed(stored.value)
  return yield* new Team.InvitationRevoked({ invitationId: next.id })
}, Traced.span("Teams.close"))

/** The members of an organisation with role and last-active time (`team.view`). */
export const listMembers = Effect.fnUntraced(function*(principal: Principal, partnerOrgId: PartnerOrgId) {
  yield* PartnerOrgs.load(principal, "team.view", partnerOrgId)
  const memberships = yield* (yield* MembershipRepo).listByPartnerOrg(partnerOrgId)
  const users = yield* UserRepo
  const activity = yield* (yield* MemberActivity).lastActive(memberships.map((m) => m.userId))
  return yield* Effect.forEach(memberships, (m) =>
    Effect.map(users.get(m.userId), (user): Member => ({
      userId: m.userId,
      email: Option.getOrNull(Option.map(user, (u) => u.email)),
      displayName: Option.getOrNull(Option.map(user, (u) => u.displayName)),
      role: m.role,
      lastActiveAt: Option.fromNullable(activity.get(m.userId))
    })))
}, Traced.span("Teams.listMembers"))

/**
 * Invites an email to the organisation with a role (`team.manage`, never above the inviter's own
 * role). The invitation and the outbox message carrying its link are written in one transaction.
 */
export const invite = Effect.fnUntraced(
  function*(principal: Principal, partnerOrgId: PartnerOrgId, input: InviteInput) {
    const message = yield* Team.decodeMessage(input.message)
    return yield* (yield* Transactor).withTransaction(Effect.gen(function*() {
      const org = yield* PartnerOrgs.load(principal, "team.manage", partnerOrgId)
      yield* Team.checkGrant(principal, input.role)
      yield* lockOrg(org)
      const now = yield* (yield* Clock).now
      const user = yield* (yield* UserRepo).findByEmail(input.email)
      if (Option.isSome(user)) {
        const membership = yield* (yield* MembershipRepo).get(user.value.id)
        if (Option.exists(membership, (m) => m._tag === "PartnerMembership" && m.partnerOrgId === org.id)) {
          return yield* new Team.AlreadyMember({ email: input.email })
        }
      }
      const pending = yield* (yield* InvitationRepo).findPending(org.id, input.email)
      if (Option.isSome(pending)) {
        if (Team.isLive(pending.value, now)) {
          return yield* new Team.AlreadyInvited({ email: input.email, invitationId: pending.value.id })
        }
        yield* close(new Team.Invitation({ ...pending.value, status: "revoked", closedAt: now }))
      }
      const issued = yield* issue(org, { email: input.email, role: input.role, message }, invitedBy(principal))
      yield* AuditTrail.record(
        AuditTrail.actorOf(principal),
        teamEvent(org, "team.invite", "invitation", issued.invitation.id, { email: input.email, role: input.role })
      )
      return issued
    }))
  },
  Traced.span("Teams.invite")
)

/**
 * Sends an invitation of organisation `partnerOrgId` again with a new token and expiry; the old
 * invitation and its link are void (`team.manage`).
 */
export const resend = Effect.fnUntraced(function*(principal: Principal, partnerOrgId: PartnerOrgId, id: Team.InvitationId) {
  return yield* (yield* Transactor).withTransaction(Effect.gen(function*() {
    const { invitation, org } = yield* loadInvitation(principal, "team.manage", partnerOrgId, id)
    yield* Team.refuseClosed(invitation)
    yield* Team.checkGrant(principal, invitation.role)
    const now = yield* (yield* Clock).now
    yield* close(new Team.Invitation({ ...invitation, status: "revoked", closedAt: now }))
    const issued = yield* issue(org, invitation, invitedBy(principal))
    yield* AuditTrail.record(
      AuditTrail.actorOf(principal),
      teamEvent(org, "team.invitation.resend", "invitation", issued.invitation.id, {
        email: invitation.email,
        replaces: invitation.id
      })
    )
    return issued
  }))
}, Traced.span("Teams.resend"))

/** Revokes a pending invitation of organisation `partnerOrgId`: its link stops working (`team.manage`). */
export const revokeInvitation = Effect.fnUntraced(
  function*(principal: Principal, partnerOrgId: PartnerOrgId, id: Team.InvitationId) {
    return yield* (yield* Transactor).withTransaction(Effect.gen(function*() {
      const { invitation, org } = yield* loadInvitation(principal, "team.manage", partnerOrgId, id)
      yield* Team.refuseClosed(invitation)
      const now = yield* (yield* Clock).now
      const revoked = new Team.Invitation({ ...invitation, status: "revoked", closedAt: now })
      yield* close(revoked)
      yield* AuditTrail.record(
        AuditTrail.actorOf(principal),
        teamEvent(org, "team.invitation.revoke", "invitation", invitation.id, { email: invitation.email })
      )
      return revoked
    }))
  },
  Traced.span("Teams.revokeInvitation")
)

/** The organisation's invitations, one page in id order (`team.view`). */
export const listInvitations = Effect.fnUntraced(
  function*(principal: Principal, partnerOrgId: PartnerOrgId, filter: InvitationFilter, page: Page.PageRequest) {
    yield* PartnerOrgs.load(principal, "team.view", partnerOrgId)
    return yield* (yield* InvitationRepo).list(partnerOrgId, filter, page)
  },
  Traced.span("Teams.listInvitations")
)

/**
 * Accepts an invitation by the code in its link, as the signed-in `user`: their verified email
 * must be the invited one. Creates the membership atomically; the organisation's first
 * partner_admin completes its bootstrap (`provisioning` -> `active`).
 */
export const accept = Effect.fnUntraced(function*(user: User, code: Redacted.Redacted<string>) {
  const parsed = Team.parseCode(Redacted.value(code))
  if (parsed === null) return yield* new Team.InvitationNotFound()
  return yield* (yield* Transactor).withTransaction(Effect.gen(function*() {
    const found = yield* (yield* InvitationRepo).get(parsed.id)
    if (Option.isNone(found)) return yield* new Team.InvitationNotFound()
    const invitation = found.value
    if (!(yield* (yield* Secrets).matches(parsed.token, invitation.tokenDigest))) {
      return yield* new Team.InvitationNotFound()
    }
    const now = yield* (yield* Clock).now
    yield* Team.canAccept(invitation, user, now)
    const memberships = yield* MembershipRepo
    if (Option.isSome(yield* memberships.get(user.id))) return yield* new Team.AlreadyMember({ email: user.email })
    const orgs = yield* PartnerOrgRepo
    yield* orgs.lock(invitation.partnerOrgId)
    const stored = yield* orgs.get(invitation.partnerOrgId)
    if (Option.isNone(stored)) return yield* new Team.InvitationNotFound()
    const activates = stored.value.status === "provisioning" && invitation.role === "partner_admin"
    const org = activates ? new PartnerOrg({ ...stored.value, status: "active" }) : stored.value
    if (activates) yield* orgs.update(org)
    yield* close(new Team.Invitation({ ...invitation, status: "accepted", acceptedBy: user.id, closedAt: now }))
    const membership = new PartnerMembership({ userId: user.id, partnerOrgId: org.id, role: invitation.role })
    yield* memberships.put(membership)
    const actor = { kind: "user" as const, id: user.id }
    yield* AuditTrail.record(
      actor,
      teamEvent(org, "team.invitation.accept", "invitation", invitation.id, { userId: user.id, role: invitation.role })
    )
    if (activates) yield* AuditTrail.record(actor, teamEvent(org, "partner.activate", "partner_org", org.id, {}))
    return { membership, org }
  }))
}, Traced.span("Teams.accept"))

/**
 * Accepts an invitation as the signed-in principal (see `accept`): an API key cannot accept one, and
 * a principal whose user is gone is `UnknownUser`.
 */
export const acceptFor = Effect.fnUntraced(function*(principal: Principal, code: Redacted.Redacted<string>) {
  if (principal._tag === "ApiKey") return yield* new Team.AcceptNeedsUser()
  const user = yield* (yield* UserRepo).get(principal.userId)
  if (Option.isNone(user)) return yield* new Team.UnknownUser({ userId: principal.userId })
  return yield* accept(user.value, code)
}, Traced.span("Teams.acceptFor"))

/** The member `userId` of the organisation, with every member (for the last-admin guard). */
const loadMember = Effect.fnUntraced(function*(org: PartnerOrg, userId: UserId) {
  const members = yield* (yield* MembershipRepo).listByPartnerOrg(org.id)
  const member = members.find((m) => m.userId === userId)
  if (member === undefined) return yield* new Policy.NotFound({ resource: "member" })
  return { member, members }
}, Traced.span("Teams.loadMember"))

/**
 * Changes a member's role (`team.manage`, never above the caller's own); the last partner_admin of
 * an active organisation cannot be demoted.
 */
export const changeRole = Effect.fnUntraced(
  function*(principal: Principal, partnerOrgId: PartnerOrgId, userId: UserId, role: PartnerRole) {
    return yield* (yield* Transactor).withTransaction(Effect.gen(function*() {
      const org = yield* PartnerOrgs.load(principal, "team.manage", partnerOrgId)
      yield* Team.checkGrant(principal, role)
      yield* lockOrg(org)
      const { member, members } = yield* loadMember(org, userId)
      if (member.role === role) return member
      yield* Team.checkLastAdmin(org, members, userId, role)
      const next = new PartnerMembership({ ...member, role })
      yield* (yield* MembershipRepo).put(next)
      yield* AuditTrail.record(
        AuditTrail.actorOf(principal),
        teamEvent(org, "team.member.role", "user", userId, { from: member.role, to: role })
      )
      return next
    }))
  },
  Traced.span("Teams.changeRole")
)

/**
 * Removes a member and, in the same transaction, their client assignments (`team.manage`); the
 * last partner_admin of an active organisation cannot be removed.
 */
export const removeMember = Effect.fnUntraced(
  function*(principal: Principal, partnerOrgId: PartnerOrgId, userId: UserId) {
    return yield* (yield* Transactor).withTransaction(Effect.gen(function*() {
      const org = yield* PartnerOrgs.load(principal, "team.manage", partnerOrgId)
      yield* lockOrg(org)
      const { member, members } = yield* loadMember(org, userId)
      yield* Team.checkLastAdmin(org, members, userId, null)
      yield* (yield* MembershipRepo).remove(userId)
      yield* (yield* AssignmentRepo).removeAllForUser(userId)
      yield* AuditTrail.record(
        AuditTrail.actorOf(principal),
        teamEvent(org, "team.member.remove", "user", userId, { role: member.role })
      )
    }))
  },
  Traced.span("Teams.removeMember")
)
