import { MembershipRepo, type Role } from "@aidial/domain"
import { Effect, Layer, Option } from "effect"
import * as Journal from "./internal/Journal.js"

/** Memberships in a `Map` keyed by user, for tests and prototypes. */
export const layerMemory: Layer.Layer<MembershipRepo.MembershipRepo> = Layer.sync(MembershipRepo.MembershipRepo, () => {
  const memberships = new Map<string, Role.Membership>()
  return MembershipRepo.MembershipRepo.of({
    get: (userId) => Effect.sync(() => Option.fromNullable(memberships.get(userId))),
    put: (m) => Journal.set(memberships, m.userId, m),
    remove: (userId) => Journal.remove(memberships, userId),
    listByPartnerOrg: (partnerOrgId) =>
      Effect.sync(() =>
        [...memberships.values()]
          .filter((m): m is Role.PartnerMembership => m._tag === "PartnerMembership" && m.partnerOrgId === partnerOrgId)
          .sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0))
      )
  })
})
