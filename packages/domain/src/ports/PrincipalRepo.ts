import { Context, type Effect, type Option } from "effect"
import type { Membership } from "../Role.js"
import type { StorageError } from "../StorageError.js"
import type { PartnerOrg } from "../Tenancy.js"
import type { User } from "../User.js"

/** A signed-in user with what their principal is made of. */
export interface Member {
  readonly user: User
  /** The user's membership, if any. */
  readonly membership: Option.Option<Membership>
  /** The organisation a partner membership names, when it exists; none for other memberships. */
  readonly partnerOrg: Option.Option<PartnerOrg>
}

/**
 * The read every bearer-token request makes: the user an identity-provider subject (`sub`) names, with their
 * membership and its partner organisation, as `UserRepo`, `MembershipRepo` and `PartnerOrgRepo` hold them, in
 * one step (one statement on SQL storage instead of three in a row).
 */
export class PrincipalRepo extends Context.Tag("@aidial/domain/PrincipalRepo")<PrincipalRepo, {
  /** The member this subject names, if a user has it. */
  readonly findBySubject: (subject: string) => Effect.Effect<Option.Option<Member>, StorageError>
}>() {}
