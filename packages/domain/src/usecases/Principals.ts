import { Effect, Option } from "effect"
import type { ClientId } from "../Ids.js"
import { AssignmentRepo } from "../ports/AssignmentRepo.js"
import { MembershipRepo } from "../ports/MembershipRepo.js"
import { PartnerOrgRepo } from "../ports/PartnerOrgRepo.js"
import * as Principal from "../Principal.js"
import type { User } from "../User.js"
import * as Traced from "../Traced.js"

/**
 * The principal a signed-in user acts as: role and scope come from storage, never from the request.
 * `selectedClientId` is the client a platform user explicitly selected, if any.
 */
export const forUser = Effect.fnUntraced(function*(user: User, selectedClientId: ClientId | null) {
  const membership = yield* (yield* MembershipRepo).get(user.id)
  if (Option.isNone(membership)) return Principal.Unaffiliated({ userId: user.id })
  const m = membership.value
  switch (m._tag) {
    case "PlatformMembership":
      return Principal.PlatformUser({ userId: user.id, role: m.role, selectedClientId })
    case "CustomerMembership":
      return Principal.CustomerUser({ userId: user.id, role: m.role, clientId: m.clientId })
    case "PartnerMembership": {
      const org = yield* (yield* PartnerOrgRepo).get(m.partnerOrgId)
      if (Option.isNone(org)) return Principal.Unaffiliated({ userId: user.id })
      const assigned = m.role === "partner_user" ? yield* (yield* AssignmentRepo).clientsOf(user.id) : []
      return Principal.PartnerUser({
        userId: user.id,
        role: m.role,
        partnerOrgId: m.partnerOrgId,
        partnerOrgStatus: org.value.status,
        assignedClientIds: new Set(assigned)
      })
    }
  }
}, Traced.span("Principals.forUser"))
