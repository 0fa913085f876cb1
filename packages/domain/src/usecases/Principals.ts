import { Effect, Option } from "effect"
import type { ClientId } from "../Ids.js"
import type { StorageError } from "../StorageError.js"
import { AssignmentRepo } from "../ports/AssignmentRepo.js"
import { MembershipRepo } from "../ports/MembershipRepo.js"
import { PartnerOrgRepo } from "../ports/PartnerOrgRepo.js"
import * as Principal from "../Principal.js"
import type { User } from "../User.js"
import * as Traced from "../Traced.js"

/** The repositories a principal is read from. */
export type Repos = MembershipRepo | PartnerOrgRepo | AssignmentRepo

/** Resolves a signed-in user's principal with its repositories in hand. */
export type Resolve = (user: User, selectedClientId: ClientId | null) => Effect.Effect<Principal.Principal, StorageError>

const resolveWith = (
  memberships: MembershipRepo["Type"],
  orgs: PartnerOrgRepo["Type"],
  assignments: AssignmentRepo["Type"]
): Resolve =>
(user, selectedClientId) =>
  Effect.flatMap(memberships.get(user.id), (membership): Effect.Effect<Principal.Principal, StorageError> => {
    if (Option.isNone(membership)) return Effect.succeed(Principal.Unaffiliated({ userId: user.id }))
    const m = membership.value
    switch (m._tag) {
      case "PlatformMembership":
        return Effect.succeed(Principal.PlatformUser({ userId: user.id, role: m.role, selectedClientId }))
      case "CustomerMembership":
        return Effect.succeed(Principal.CustomerUser({ userId: user.id, role: m.role, clientId: m.clientId }))
      case "PartnerMembership":
        return Effect.flatMap(orgs.get(m.partnerOrgId), (org): Effect.Effect<Principal.Principal, StorageError> => {
          if (Option.isNone(org)) return Effect.succeed(Principal.Unaffiliated({ userId: user.id }))
          const partner = (assigned: ReadonlyArray<ClientId>): Principal.Principal =>
            Principal.PartnerUser({
              userId: user.id,
              role: m.role,
              partnerOrgId: m.partnerOrgId,
              partnerOrgStatus: org.value.status,
              assignedClientIds: new Set(assigned)
            })
          return m.role === "partner_user" ? Effect.map(assignments.clientsOf(user.id), partner) : Effect.succeed(partner([]))
        })
    }
  })

/**
 * Builds `Resolve` once over the repositories (as a server's authentication does when it is built), so a
 * request pays for the reads alone: the role and scope come from storage, never from the request.
 */
export const makeResolver: Effect.Effect<Resolve, never, Repos> = Effect.map(
  Effect.all([MembershipRepo, PartnerOrgRepo, AssignmentRepo]),
  ([memberships, orgs, assignments]) => {
    const resolve = resolveWith(memberships, orgs, assignments)
    return (user, selectedClientId) => Traced.span("Principals.forUser")(resolve(user, selectedClientId))
  }
)

/**
 * The principal a signed-in user acts as: role and scope come from storage, never from the request.
 * `selectedClientId` is the client a platform user explicitly selected, if any.
 */
export const forUser = (user: User, selectedClientId: ClientId | null): Effect.Effect<Principal.Principal, StorageError, Repos> =>
  Effect.flatMap(makeResolver, (resolve) => resolve(user, selectedClientId))
