/**
 * Handlers for `TeamApi`: thin translations to the `Teams` use cases. An issued invitation's link
 * is dropped here: it reaches the invitee only through the outbox.
 */
import { HttpApiBuilder } from "@effect/platform"
import {
  Clock,
  type Role,
  Team,
  Teams
} from "@aidial/domain"
import { Effect, Option } from "effect"
import { Api, type Group } from "./Api.js"
import { CurrentPrincipal } from "./Authentication.js"
import * as Cursor from "./Cursor.js"
import * as Problem from "./Problem.js"
import type * as TeamApi from "./TeamApi.js"

/** The JSON form of a member. */
export const member = (m: Teams.Member): typeof TeamApi.Member.Type => ({
  user_id: m.userId,
  email: m.email,
  display_name: m.displayName,
  role: m.role,
  last_active_at: Option.getOrNull(Option.map(m.lastActiveAt, (d) => d.toISOString()))
})

/** The JSON form of an invitation at `now` (a pending invitation past its expiry shows `expired`); never its token. */
export const invitation = (i: Team.Invitation, now: Date): typeof TeamApi.Invitation.Type => ({
  invitation_id: i.id,
  partner_org_id: i.partnerOrgId,
  email: i.email,
  role: i.role,
  message: i.message,
  status: Team.stateAt(i, now),
  invited_by: i.invitedBy,
  created_at: i.createdAt.toISOString(),
  expires_at: i.expiresAt.toISOString(),
  accepted_by: i.acceptedBy,
  closed_at: i.closedAt === null ? null : i.closedAt.toISOString()
})

const membership = (m: Role.PartnerMembership): typeof TeamApi.Membership.Type => ({
  user_id: m.userId,
  partner_org_id: m.partnerOrgId,
  role: m.role
})

const now = Effect.flatMap(Clock.Clock, (clock) => clock.now)

const withNow = (i: Team.Invitation) => Effect.map(now, (at) => invitation(i, at))

/** The team handlers. */
export const layer: Group<"team"> = HttpApiBuilder.group(Api, "team", (handlers) =>
  handlers
    .handle("listMembers", ({ path }) =>
      CurrentPrincipal.pipe(
        Effect.flatMap((principal) => Teams.listMembers(principal, path.partnerOrgId)),
        Effect.map((members) => ({ members: members.map(member) })),
        Problem.refail
      ))
    .handle("changeRole", ({ path, payload }) =>
      CurrentPrincipal.pipe(
        Effect.flatMap((principal) => Teams.changeRole(principal, path.partnerOrgId, path.userId, payload.role)),
        Effect.map(membership),
        Problem.refail
      ))
    .handle("removeMember", ({ path }) =>
      CurrentPrincipal.pipe(
        Effect.flatMap((principal) => Teams.removeMember(principal, path.partnerOrgId, path.userId)),
        Problem.refail
      ))
    .handle("invite", ({ path, payload }) =>
      CurrentPrincipal.pipe(
        Effect.flatMap((principal) => Teams.invite(principal, path.partnerOrgId, payload)),
        Effect.flatMap((issued) => withNow(issued.invitation)),
        Problem.refail
      ))
    .handle("listInvitations", ({ path, urlParams }) =>
      CurrentPrincipal.pipe(
        Effect.flatMap((principal) =>
          Teams.listInvitations(
            principal,
            path.partnerOrgId,
            urlParams.status !== undefined ? { status: urlParams.status } : {},
            Cursor.pageRequest(urlParams)
          )
        ),
        Effect.flatMap((page) =>
          Effect.map(now, (at) => ({ invitations: page.items.map((i) => invitation(i, at)), next_cursor: Cursor.next(page) }))
        ),
        Problem.refail
      ))
    .handle("resend", ({ path }) =>
      CurrentPrincipal.pipe(
        Effect.flatMap((principal) => Teams.resend(principal, path.partnerOrgId, path.invitationId)),
        Effect.flatMap((issued) => withNow(issued.invitation)),
        Problem.refail
      ))
    .handle("revoke", ({ path }) =>
      CurrentPrincipal.pipe(
        Effect.flatMap((principal) => Teams.revokeInvitation(principal, path.partnerOrgId, path.invitationId)),
        Effect.flatMap(withNow),
        Problem.refail
      ))
    .handle("accept", ({ payload }) =>
      CurrentPrincipal.pipe(
        Effect.flatMap((principal) => Teams.acceptFor(principal, payload.code)),
        Effect.map(({ membership: m, org }) => ({
          user_id: m.userId,
          partner_org_id: m.partnerOrgId,
          role: m.role,
          partner_org_status: org.status
        })),
        Problem.refail
      )))
