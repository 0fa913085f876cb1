import { Context, Duration, Either, Schema } from "effect"
import { IdString, PartnerOrgId, UserId } from "./Ids.js"
import type { Principal } from "./Principal.js"
import { PartnerRole } from "./Role.js"
import type { PartnerMembership } from "./Role.js"
import type { PartnerOrg } from "./Tenancy.js"
import * as Text from "./Text.js"
import { Email } from "./User.js"
import type { User } from "./User.js"

/** The public id of an invitation: it appears in the acceptance link beside the secret token. */
export const InvitationId = IdString.pipe(Schema.brand("InvitationId"))
export type InvitationId = typeof InvitationId.Type

/** `pending` until accepted or revoked; expiry is derived from `expiresAt`, never stored. */
export const InvitationStatus = Schema.Literal("pending", "accepted", "revoked")
export type InvitationStatus = typeof InvitationStatus.Type

/** The stored digest of the invitation token (see the `Secrets` port); the token itself is never stored. */
export const TokenDigest = Schema.Struct({ version: Schema.Number, hex: Schema.String })
export type TokenDigest = typeof TokenDigest.Type

/** The inviter's optional personal message: at most 2000 characters. */
export const Message = Schema.NullOr(Text.Paragraph.pipe(Schema.maxLength(2000)))

/** An invitation to join a partner organisation with a role. */
export class Invitation extends Schema.Class<Invitation>("Invitation")({
  id: InvitationId,
  partnerOrgId: PartnerOrgId,
  email: Email,
  role: PartnerRole,
  /** The inviter's optional personal message. */
  message: Message,
  tokenDigest: TokenDigest,
  invitedBy: Schema.NullOr(UserId),
  createdAt: Schema.DateFromSelf,
  expiresAt: Schema.DateFromSelf,
  status: InvitationStatus,
  /** The user who accepted; set with status `accepted`. */
  acceptedBy: Schema.NullOr(UserId),
  /** When the invitation was accepted or revoked. */
  closedAt: Schema.NullOr(Schema.DateFromSelf)
}) {}

/** What an invitation is at an instant: a pending invitation past its expiry is `expired`. */
export type InvitationState = InvitationStatus | "expired"

export const isExpired = (invitation: Invitation, now: Date): boolean =>
  invitation.expiresAt.getTime() <= now.getTime()

/** The invitation's state at `now`, expiry included. */
export const stateAt = (invitation: Invitation, now: Date): InvitationState =>
  invitation.status === "pending" && isExpired(invitation, now) ? "expired" : invitation.status

/** Whether the invitation still holds a seat for its email: pending and not expired. */
export const isLive = (invitation: Invitation, now: Date): boolean => stateAt(invitation, now) === "pending"

/** The invitation was accepted already; it cannot be accepted again. */
export class InvitationAlreadyAccepted extends Schema.TaggedError<InvitationAlreadyAccepted>()(
  "InvitationAlreadyAccepted",
  { invitationId: InvitationId }
) {}

/** The invitation was revoked (or replaced by a resend). */
export class InvitationRevoked extends Schema.TaggedError<InvitationRevoked>()("InvitationRevoked", {
  invitationId: InvitationId
}) {}

/** The invitation expired before it was accepted. */
export class InvitationExpired extends Schema.TaggedError<InvitationExpired>()("InvitationExpired", {
  invitationId: InvitationId,
  expiredAt: Schema.DateFromSelf
}) {}

/** The accepting user's email is not the invited email. */
export class InvitationEmailMismatch extends Schema.TaggedError<InvitationEmailMismatch>()(
  "InvitationEmailMismatch",
  { invitationId: InvitationId }
) {}

/** No invitation has this code (unknown id, wrong token, or malformed code). */
export class InvitationNotFound extends Schema.TaggedError<InvitationNotFound>()("InvitationNotFound", {}) {}

/** The accepting user's email address is not verified by the identity provider. */
export class EmailNotVerified extends Schema.TaggedError<EmailNotVerified>()("EmailNotVerified", {
  userId: UserId
}) {}

/** The user already holds a membership (a user holds at most one). */
export class AlreadyMember extends Schema.TaggedError<AlreadyMember>()("AlreadyMember", {
  email: Email
}) {}

/** A live invitation for this email to this organisation exists already: resend it instead. */
export class AlreadyInvited extends Schema.TaggedError<AlreadyInvited>()("AlreadyInvited", {
  email: Email,
  invitationId: InvitationId
}) {}

/** The change would leave an active organisation without a partner_admin. */
export class LastPartnerAdmin extends Schema.TaggedError<LastPartnerAdmin>()("LastPartnerAdmin", {
  partnerOrgId: PartnerOrgId,
  userId: UserId
}) {}

/** Accepting an invitation needs a signed-in user; an API key cannot accept one. */
export class AcceptNeedsUser extends Schema.TaggedError<AcceptNeedsUser>()("AcceptNeedsUser", {}) {}

/** The signed-in principal names no stored user (it was removed after the request authenticated). */
export class UnknownUser extends Schema.TaggedError<UnknownUser>()("UnknownUser", {
  userId: UserId
}) {}

/** Nobody grants a role above their own. */
export class RoleAboveOwn extends Schema.TaggedError<RoleAboveOwn>()("RoleAboveOwn", {
  role: PartnerRole
}) {}

/** Why an acceptance is refused, in the order the checks run. */
export type AcceptRefusal =
  | InvitationAlreadyAccepted
  | InvitationRevoked
  | InvitationExpired
  | EmailNotVerified
  | InvitationEmailMismatch

/**
 * Whether `user` may accept `invitation` at `now`: the invitation must be pending and unexpired,
 * and the user's verified email must be the invited one.
 */
export const canAccept = (invitation: Invitation, user: User, now: Date): Either.Either<void, AcceptRefusal> => {
  const invitationId = invitation.id
  switch (stateAt(invitation, now)) {
    case "accepted":
      return Either.left(new InvitationAlreadyAccepted({ invitationId }))
    case "revoked":
      return Either.left(new InvitationRevoked({ invitationId }))
    case "expired":
      return Either.left(new InvitationExpired({ invitationId, expiredAt: invitation.expiresAt }))
    case "pending":
      if (!user.emailVerified) return Either.left(new EmailNotVerified({ userId: user.id }))
      if (user.email !== invitation.email) return Either.left(new InvitationEmailMismatch({ invitationId }))
      return Either.void
  }
}

/** Why a pending invitation can no longer change, for resend and revoke. */
export const refuseClosed = (invitation: Invitation): Either.Either<void, InvitationAlreadyAccepted | InvitationRevoked> => {
  switch (invitation.status) {
    case "accepted":
      return Either.left(new InvitationAlreadyAccepted({ invitationId: invitation.id }))
    case "revoked":
      return Either.left(new InvitationRevoked({ invitationId: invitation.id }))
    case "pending":
      return Either.void
  }
}

/** Partner roles in increasing order of rights. */
export const rank = (role: PartnerRole): number => (role === "partner_admin" ? 2 : 1)

/** Whether `principal` may grant `role`: platform admins any partner role, partner members up to their own. */
export const mayGrant = (principal: Principal, role: PartnerRole): boolean => {
  switch (principal._tag) {
    case "PlatformUser":
      return principal.role === "aidial_admin"
    case "PartnerUser":
      return rank(role) <= rank(principal.role)
    default:
      return false
  }
}

/** Refuses to grant a role above the granter's own. */
export const checkGrant = (principal: Principal, role: PartnerRole): Either.Either<void, RoleAboveOwn> =>
  mayGrant(principal, role) ? Either.void : Either.left(new RoleAboveOwn({ role }))

/**
 * The last-admin guard: in an active organisation, the change of `userId` to `next` (`null` for
 * removal) must leave at least one partner_admin among `members`.
 */
export const checkLastAdmin = (
  org: PartnerOrg,
  members: ReadonlyArray<PartnerMembership>,
  userId: UserId,
  next: PartnerRole | null
): Either.Either<void, LastPartnerAdmin> => {
  if (org.status !== "active" || next === "partner_admin") return Either.void
  const remaining = members.filter((m) => m.role === "partner_admin" && m.userId !== userId)
  const wasAdmin = members.some((m) => m.userId === userId && m.role === "partner_admin")
  return wasAdmin && remaining.length === 0
    ? Either.left(new LastPartnerAdmin({ partnerOrgId: org.id, userId }))
    : Either.void
}

/** Bytes of randomness in an invitation token: 256 bits. */
export const tokenBytes = 32

/**
 * The acceptance code: `<invitation id>.<token>`, the token in base64url. The id finds the stored
 * invitation; the token is compared with its digest.
 */
export const makeCode = (id: InvitationId, token: string): string => `${id}.${token}`

/** Splits an acceptance code into its invitation id and token; `null` when malformed. */
export const parseCode = (code: string): { readonly id: InvitationId; readonly token: string } | null => {
  const dot = code.indexOf(".")
  if (dot <= 0) return null
  const id = Schema.decodeUnknownOption(InvitationId)(code.slice(0, dot))
  const token = code.slice(dot + 1)
  return id._tag === "Some" && /^[A-Za-z0-9_-]{22,}$/.test(token) ? { id: id.value, token } : null
}

/** How invitations are made: where acceptance links point and how long invitations live. */
export class InvitationSettings extends Context.Tag("@aidial/domain/InvitationSettings")<InvitationSettings, {
  /** The portal page that accepts invitations; the code is appended as the `code` query parameter. */
  readonly acceptUrl: string
  /** How long an invitation stays acceptable. */
  readonly ttl: Duration.Duration
}>() {}

/** The acceptance link for a code. */
export const acceptLink = (acceptUrl: string, code: string): string => {
  const separator = acceptUrl.includes("?") ? "&" : "?"
  return `${acceptUrl}${separator}code=${encodeURIComponent(code)}`
}

/** Validates an invitation's personal message. */
export const decodeMessage = Schema.decode(Message)
