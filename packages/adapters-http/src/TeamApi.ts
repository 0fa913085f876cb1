/**
 * Endpoint declarations for partner teams: members, invitations and acceptance (handlers in
 * `TeamHttp`); bearer only. No response carries an invitation token or acceptance link: the link
 * travels only through the outbox.
 */
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { Ids, Role, Team, type Teams, Tenancy, Text, User } from "@aidial/domain"
import { Schema } from "effect"
import * as Authentication from "./Authentication.js"
import * as Body from "./Body.js"
import * as Cursor from "./Cursor.js"
import * as Example from "./Example.js"
import * as Failures from "./Failures.js"
import { PartnerOrgPath } from "./PartnerOrgsApi.js"
import * as RequestContext from "./RequestContext.js"
import * as Security from "./Security.js"

/** A member of a partner organisation with role and last-active time. */
export const Member = Schema.Struct({
  user_id: Schema.String,
  email: Schema.NullOr(Schema.String),
  display_name: Schema.NullOr(Schema.String),
  role: Role.PartnerRole,
  last_active_at: Schema.NullOr(Schema.String).annotations({ description: "Coalesced, so up to a few seconds behind; null when never seen." })
}).annotations({ identifier: "Member" })

/** Every member of an organisation, in user id order. */
export const MemberList = Example.wire(Schema.Struct({ members: Schema.Array(Member) }).annotations({ identifier: "MemberList" }), {
  members: [
    { user_id: "usr_nina", email: "nina@acme.example", display_name: "Nina Park", role: "partner_admin", last_active_at: "2026-02-01T10:04:00.000Z" },
    { user_id: "usr_sam", email: "sam@acme.example", display_name: null, role: "partner_user", last_active_at: null }
  ]
})

/** An invitation's metadata; `status` includes `expired` (a pending invitation past `expires_at`). */
const InvitationFields = Schema.Struct({
  invitation_id: Schema.String,
  partner_org_id: Schema.String,
  email: Schema.String,
  role: Role.PartnerRole,
  message: Schema.NullOr(Schema.String),
  status: Schema.Literal("pending", "accepted", "revoked", "expired"),
  invited_by: Schema.NullOr(Schema.String),
  created_at: Schema.String,
  expires_at: Schema.String,
  accepted_by: Schema.NullOr(Schema.String),
  closed_at: Schema.NullOr(Schema.String)
}).annotations({ identifier: "Invitation" })

const invitationExample: typeof InvitationFields.Encoded = {
  invitation_id: "inv_7Qm2",
  partner_org_id: "org_acme",
  email: "sam@acme.example",
  role: "partner_user",
  message: "Welcome aboard",
  status: "pending",
  invited_by: "usr_nina",
  created_at: "2026-02-01T10:00:00.000Z",
  expires_at: "2026-02-08T10:00:00.000Z",
  accepted_by: null,
  closed_at: null
}

export const Invitation = Example.wire(InvitationFields, invitationExample)

/** One page of invitations. */
export const InvitationList = Example.wire(
  Cursor.page({ invitations: Schema.Array(Invitation) }).annotations({ identifier: "InvitationList" }),
  { invitations: [invitationExample], next_cursor: null }
)

/** `POST /v1/partner-orgs/{partnerOrgId}/invitations` body. */
export const Invite = Example.wire(Body.strict({
  email: User.EmailFromInput.annotations({
    description: "Normalised: trimmed and lower-cased.",
    jsonSchema: { type: "string", format: "email", maxLength: 254 }
  }),
  role: Role.PartnerRole,
  message: Schema.optionalWith(Schema.NullOr(Text.Paragraph), { default: () => null })
}).annotations({ identifier: "Invite" }), { email: "sam@harbourdental.example", role: "partner_user", message: "Welcome aboard" })

/** `PATCH /v1/partner-orgs/{partnerOrgId}/members/{userId}` body. */
export const ChangeRole = Example.wire(Body.strict({ role: Role.PartnerRole }).annotations({ identifier: "ChangeRole" }), { role: "partner_admin" })

/** A membership after a role change. */
export const Membership = Example.wire(Schema.Struct({
  user_id: Schema.String,
  partner_org_id: Schema.String,
  role: Role.PartnerRole
}).annotations({ identifier: "Membership" }), { user_id: "usr_sam", partner_org_id: "org_acme", role: "partner_admin" })

/** `POST /v1/invitations/accept` body: the `code` query parameter of the acceptance link. */
export const Accept = Example.wire(Body.strict({
  code: Schema.Redacted(Schema.String.pipe(Schema.maxLength(512)))
}).annotations({ identifier: "AcceptInvitation" }), { code: "inv_code_from_the_link" })

/** The membership an acceptance created. */
export const Accepted = Example.wire(Schema.Struct({
  user_id: Schema.String,
  partner_org_id: Schema.String,
  role: Role.PartnerRole,
  partner_org_status: Tenancy.PartnerOrgStatus
}).annotations({ identifier: "AcceptedInvitation" }), {
  user_id: "usr_sam",
  partner_org_id: "org_acme",
  role: "partner_user",
  partner_org_status: "active"
})

const MemberPath = Schema.Struct({ partnerOrgId: Ids.PartnerOrgId, userId: Ids.UserId })
const InvitationPath = Schema.Struct({ partnerOrgId: Ids.PartnerOrgId, invitationId: Team.InvitationId })

/** The team endpoints. */
export const group = HttpApiGroup.make("team")
  .add(
    HttpApiEndpoint.get("listMembers", "/partner-orgs/:partnerOrgId/members")
      .setPath(PartnerOrgPath)
      .addSuccess(MemberList)
      .addError(Failures.of<typeof Teams.listMembers>()("Forbidden", "NotFound", "StorageError"))
      .annotate(OpenApi.Summary, "Members of a partner organisation with role and last-active time")
  )
  .add(
    HttpApiEndpoint.patch("changeRole", "/partner-orgs/:partnerOrgId/members/:userId")
      .setPath(MemberPath)
      .setPayload(ChangeRole)
      .addSuccess(Membership)
      .addError(Failures.of<typeof Teams.changeRole>()("Forbidden", "LastPartnerAdmin", "NotFound", "RoleAboveOwn", "StorageError"))
      .annotate(OpenApi.Summary, "Change a member's role; the last partner_admin cannot be demoted (409)")
  )
  .add(
    HttpApiEndpoint.del("removeMember", "/partner-orgs/:partnerOrgId/members/:userId")
      .setPath(MemberPath)
      .addError(Failures.of<typeof Teams.removeMember>()("Forbidden", "LastPartnerAdmin", "NotFound", "StorageError"))
      .annotate(OpenApi.Summary, "Remove a member and their client assignments; the last partner_admin cannot be removed (409)")
  )
  .add(
    HttpApiEndpoint.post("invite", "/partner-orgs/:partnerOrgId/invitations")
      .setPath(PartnerOrgPath)
      .setPayload(Invite)
      .addSuccess(Invitation, { status: 201 })
      .addError(Failures.of<typeof Teams.invite>()("AlreadyInvited", "AlreadyMember", "Forbidden", "InvitationAlreadyAccepted", "InvitationRevoked", "NotFound", "ParseError", "RoleAboveOwn", "StorageError"))
      .annotate(OpenApi.Summary, "Invite an email with a role; the acceptance link goes out by mail (the outbox), never in the response")
  )
  .add(
    HttpApiEndpoint.get("listInvitations", "/partner-orgs/:partnerOrgId/invitations")
      .setPath(PartnerOrgPath)
      .setUrlParams(Schema.Struct({
        ...Cursor.PageParams,
        status: Schema.optional(Team.InvitationStatus.annotations({ description: "Stored status; `pending` includes expired ones." }))
      }))
      .addSuccess(InvitationList)
      .addError(Failures.of<typeof Teams.listInvitations>()("Forbidden", "NotFound", "StorageError"))
      .annotate(OpenApi.Summary, "Invitations of a partner organisation, in id order")
  )
  .add(
    HttpApiEndpoint.post("resend", "/partner-orgs/:partnerOrgId/invitations/:invitationId/resend")
      .setPath(InvitationPath)
      .addSuccess(Invitation, { status: 201 })
      .addError(Failures.of<typeof Teams.resend>()("Forbidden", "InvitationAlreadyAccepted", "InvitationRevoked", "NotFound", "RoleAboveOwn", "StorageError"))
      .annotate(OpenApi.Summary, "Send an invitation again: a new invitation and link; the old link stops working")
  )
  .add(
    HttpApiEndpoint.post("revoke", "/partner-orgs/:partnerOrgId/invitations/:invitationId/revoke")
      .setPath(InvitationPath)
      .addSuccess(Invitation)
      .addError(Failures.of<typeof Teams.revokeInvitation>()("Forbidden", "InvitationAlreadyAccepted", "InvitationRevoked", "NotFound", "StorageError"))
      .annotate(OpenApi.Summary, "Revoke a pending invitation")
  )
  .add(
    HttpApiEndpoint.post("accept", "/invitations/accept")
      .setPayload(Accept)
      .addSuccess(Accepted)
      .addError(Failures.of<typeof Teams.acceptFor>()("AcceptNeedsUser", "AlreadyMember", "EmailNotVerified", "InvitationAlreadyAccepted", "InvitationEmailMismatch", "InvitationExpired", "InvitationNotFound", "InvitationRevoked", "StorageError", "UnknownUser"))
      .annotate(OpenApi.Summary, "Accept an invitation as the signed-in user, whose verified email must be the invited one")
  )
  .middleware(Authentication.Authentication)
  .annotate(OpenApi.Title, "Partner team")
  .annotate(OpenApi.Description, "Members of a partner organisation, invitations by email and their acceptance. Bearer tokens only.")
  .annotateEndpointsContext(Security.bearerOnly)
