import { describe, expect, it } from "@effect/vitest"
import { AuditLog, InvitationRepo, MembershipRepo, PartnerOrgRepo, Principals, Teams } from "@aidial/domain"
import { Deferred, Effect, Either, Fiber, Option } from "effect"
import { addUser, backends, codeOf, email, provisionOrg, stack } from "./TeamStack.js"

const all = { after: null, limit: 1000 }

/** Runs both effects at once, released together by one gate, and returns how each ended. */
const race = <A, E, R>(first: Effect.Effect<A, E, R>, second: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const gate = yield* Deferred.make<void>()
    const gated = (effect: Effect.Effect<A, E, R>) => Effect.either(Effect.zipRight(Deferred.await(gate), effect))
    const running = yield* Effect.fork(Effect.all([gated(first), gated(second)], { concurrency: "unbounded" }))
    yield* Effect.yieldNow()
    yield* Deferred.succeed(gate, undefined)
    return yield* Fiber.join(running)
  })

const tagsOf = <A, E extends { readonly _tag: string }>(results: ReadonlyArray<Either.Either<A, E>>) =>
  results.filter(Either.isLeft).map((r) => r.left._tag)

describe.each(backends)("%s: team races", (_name, client) => {
  it.effect("two acceptances of one invitation at once make one membership: one succeeds, the other is refused as already accepted or already a member", () =>
    Effect.gen(function*() {
      const { org, platform } = yield* provisionOrg
      const issued = yield* Teams.invite(platform, org.id, { email: email("ann@example.com"), role: "partner_admin", message: null })
      const ann = yield* addUser("ann@example.com")

      const results = yield* race(Teams.accept(ann, codeOf(issued)), Teams.accept(ann, codeOf(issued)))

      expect(results.filter(Either.isRight).length).toBe(1)
      // Under READ COMMITTED the loser reads either the accepted invitation or the new membership first.
      expect(tagsOf(results)).toHaveLength(1)
      expect(["InvitationAlreadyAccepted", "AlreadyMember"]).toContain(tagsOf(results)[0])
      const members = yield* (yield* MembershipRepo.MembershipRepo).listByPartnerOrg(org.id)
      expect(members.map((m) => [m.userId, m.role])).toEqual([[ann.id, "partner_admin"]])
      const stored = yield* (yield* InvitationRepo.InvitationRepo).get(issued.invitation.id)
      expect(Option.map(stored, (i) => [i.status, i.acceptedBy])).toEqual(Option.some(["accepted", ann.id]))
      const accepts = (yield* (yield* AuditLog.AuditLog).query({ action: "team.invitation.accept" }, all)).items
      expect(accepts.length).toBe(1)
      const activated = yield* (yield* PartnerOrgRepo.PartnerOrgRepo).get(org.id)
      expect(Option.map(activated, (o) => o.status)).toEqual(Option.some("active"))
    }).pipe(Effect.provide(stack(client()))))

  it.effect("two partner admins demoting each other at once leave one partner_admin: the other is refused as the last", () =>
    Effect.gen(function*() {
      const { org, platform } = yield* provisionOrg
      const join = (address: string) =>
        Effect.gen(function*() {
          const issued = yield* Teams.invite(platform, org.id, { email: email(address), role: "partner_admin", message: null })
          const user = yield* addUser(address)
          yield* Teams.accept(user, codeOf(issued))
          return user
        })
      const ann = yield* join("ann@example.com")
      const bob = yield* join("bob@example.com")
      const asAnn = yield* Principals.forUser(ann, null)
      const asBob = yield* Principals.forUser(bob, null)

      const results = yield* race(
        Teams.changeRole(asAnn, org.id, bob.id, "partner_user"),
        Teams.changeRole(asBob, org.id, ann.id, "partner_user")
      )

      expect(results.filter(Either.isRight).length).toBe(1)
      expect(tagsOf(results)).toEqual(["LastPartnerAdmin"])
      const members = yield* (yield* MembershipRepo.MembershipRepo).listByPartnerOrg(org.id)
      expect(members.filter((m) => m.role === "partner_admin").length).toBe(1)
    }).pipe(Effect.provide(stack(client()))))
})
