import { Context, type Effect, type Option } from "effect"
import type { PartnerOrgId, UserId } from "../Ids.js"
import type { Membership, PartnerMembership } from "../Role.js"
import type { StorageError } from "../StorageError.js"

/** What each user is to AiDial: one membership a user at most. */
export class MembershipRepo extends Context.Tag("@aidial/domain/MembershipRepo")<MembershipRepo, {
  /** The user's membership, if any. */
  readonly get: (userId: UserId) => Effect.Effect<Option.Option<Membership>, StorageError>
  /** Sets the user's membership, replacing any previous one. */
  readonly put: (membership: Membership) => Effect.Effect<void, StorageError>
  /** Removes the user's membership if present. */
  readonly remove: (userId: UserId) => Effect.Effect<void, StorageError>
  /** The members of a partner organisation, in user id order. */
  readonly listByPartnerOrg: (partnerOrgId: PartnerOrgId) => Effect.Effect<ReadonlyArray<PartnerMembership>, StorageError>
}>() {}
