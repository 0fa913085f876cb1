import { Effect, Option } from "effect"
import type { ClientId } from "../Ids.js"
import type { StorageError } from "../StorageError.js"
import { AssignmentRepo } from "../ports/AssignmentRepo.js"
import { MembershipRepo } from "../ports/MembershipRepo.js"
import { PartnerOrgRepo } from "../ports/PartnerOrgRepo.js"
import { type Member, memberOf } from "../ports/PrincipalRepo.js"
import * as Principal from "../Principal.js"
import type { User } from "../User.js"
import * as Traced from "../Traced.js"

/** Builds a member's principal; a partner_user's assignments are read on each call. */
export type FromMember = (member: Member, selectedClientId: ClientId | null) => Effect.Effect<Principal.UserPrincipal, StorageError>

const fromMemberWith = (assignments: AssignmentRepo["Type"]): FromMember => (member, selectedClientId) => {
  const { membership, partnerOrg, user } = member
  if (Option.isNone(membership)) return Effect.succeed(Principal.Unaffiliated({ userId: user.id }))
  const m = membership.value
  switch (m._tag) {
    case "PlatformMembership":
      return Effect.succeed(Principal.PlatformUser({ userId: user.id, role: m.role, selectedClientId }))
    case "CustomerMembership":
      return Effect.succeed(Principal.CustomerUser({ userId: user.id, role: m.role, clientId: m.clientId }))
    case "PartnerMembership": {
      if (Option.isNone(partnerOrg)) return Effect.succeed(Principal.Unaffiliated({ userId: user.id }))
      const partner = (assigned: ReadonlyArray<ClientId>): Principal.UserPrincipal =>
        Principal.PartnerUser({
          userId: user.id,
          role: m.role,
          partnerOrgId: m.partnerOrgId,
          partnerOrgStatus: partnerOrg.value.status,
          assignedClientIds: new Set(assigned)
        })
      return m.role === "partner_user" ? Effect.map(assignments.clientsOf(user.id), partner) : Effect.succeed(partner([]))
    }
  }
}

/**
 * Builds `FromMember` once over the assignments (as a server's authentication does when it is built), so a
 * request pays for its reads alone: role and scope come from storage (`PrincipalRepo`), never from the request.
 */
export const makeFromMember: Effect.Effect<FromMember, never, AssignmentRepo> = Effect.map(AssignmentRepo, (assignments) => {
  const build = fromMemberWith(assignments)
  return (member, selectedClientId) => Traced.span("Principals.fromMember")(build(member, selectedClientId))
})

/**
 * The principal a signed-in user acts as: role and scope come from storage, never from the request.
 * `selectedClientId` is the client a platform user explicitly selected, if any.
 */
export const forUser = (
  user: User,
  selectedClientId: ClientId | null
): Effect.Effect<Principal.UserPrincipal, StorageError, MembershipRepo | PartnerOrgRepo | AssignmentRepo> =>
  Effect.flatMap(Effect.all([memberOf(user), makeFromMember]), ([member, build]) => build(member, selectedClientId))
