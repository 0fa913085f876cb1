import { Context, Effect, Layer, Option } from "effect"
import type { Membership } from "../Role.js"
import type { StorageError } from "../StorageError.js"
import type { PartnerOrg } from "../Tenancy.js"
import type { User } from "../User.js"
import { MembershipRepo } from "./MembershipRepo.js"
import { PartnerOrgRepo } from "./PartnerOrgRepo.js"
import { UserRepo } from "./UserRepo.js"

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

/** A user with their membership and its organisation, read one after another. */
export const memberOf = (user: User): Effect.Effect<Member, StorageError, MembershipRepo | PartnerOrgRepo> =>
  Effect.flatMap(MembershipRepo, (memberships) =>
    Effect.flatMap(memberships.get(user.id), (membership): Effect.Effect<Member, StorageError, PartnerOrgRepo> => {
      const m = Option.getOrUndefined(membership)
      return m?._tag === "PartnerMembership"
        ? Effect.flatMap(PartnerOrgRepo, (orgs) => Effect.map(orgs.get(m.partnerOrgId), (partnerOrg) => ({ user, membership, partnerOrg })))
        : Effect.succeed({ user, membership, partnerOrg: Option.none() })
    }))

/**
 * `PrincipalRepo` over any `UserRepo`, `MembershipRepo` and `PartnerOrgRepo`, reading them one after another: what
 * an adapter without a joined read provides (the memory adapters do), and what a joined read must agree with.
 */
export const layerFromRepositories: Layer.Layer<PrincipalRepo, never, UserRepo | MembershipRepo | PartnerOrgRepo> = Layer.effect(
  PrincipalRepo,
  Effect.map(Effect.context<UserRepo | MembershipRepo | PartnerOrgRepo>(), (repositories) => {
    const users = Context.get(repositories, UserRepo)
    return PrincipalRepo.of({
      findBySubject: (subject) =>
        Effect.flatMap(users.findBySubject(subject), (user) =>
          Option.isNone(user) ? Effect.succeedNone : Effect.asSome(Effect.provide(memberOf(user.value), repositories)))
    })
  })
)
