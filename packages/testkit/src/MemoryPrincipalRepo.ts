import { MembershipRepo, PartnerOrgRepo, PrincipalRepo, Principals, UserRepo } from "@aidial/domain"
import { Effect, Layer, Option } from "effect"

/** `PrincipalRepo` over the memory users, memberships and organisations, read one after another. */
export const layerMemory: Layer.Layer<
  PrincipalRepo.PrincipalRepo,
  never,
  UserRepo.UserRepo | MembershipRepo.MembershipRepo | PartnerOrgRepo.PartnerOrgRepo
> = Layer.effect(
  PrincipalRepo.PrincipalRepo,
  Effect.map(Effect.context<UserRepo.UserRepo | MembershipRepo.MembershipRepo | PartnerOrgRepo.PartnerOrgRepo>(), (repos) =>
    PrincipalRepo.PrincipalRepo.of({
      findBySubject: (subject) =>
        Effect.flatMap(UserRepo.UserRepo, (users) => users.findBySubject(subject)).pipe(
          Effect.flatMap(Option.match({
            onNone: () => Effect.succeedNone,
            onSome: (user) => Effect.asSome(Principals.memberOf(user))
          })),
          Effect.provide(repos)
        )
    }))
)
