import { Ids, MembershipRepo, PartnerOrgs, type Principal, Role, type Secrets, User, UserRepo } from "@aidial/domain"
import { Duration, Effect, Layer, ManagedRuntime, Schema } from "effect"
import * as fc from "fast-check"
import * as MemoryStack from "../MemoryStack.js"
import { AdvanceClockCommand } from "./AdvanceClockCommand.js"
import { AcceptCommand } from "./invitation/AcceptCommand.js"
import { InviteCommand } from "./invitation/InviteCommand.js"
import { ResendCommand } from "./invitation/ResendCommand.js"
import { RevokeCommand } from "./invitation/RevokeCommand.js"
import { emails, type Env, type Model, type Real, unverified } from "./invitation/World.js"

export type { Model, Real } from "./invitation/World.js"

const week = Duration.toMillis(Duration.days(7))

/** Sequences of invitation commands over the model's four emails. */
export const commands: fc.Arbitrary<Iterable<fc.AsyncCommand<Model, Real>>> = fc.commands([
  fc.tuple(fc.constantFrom(...emails), fc.constantFrom<Role.PartnerRole>("partner_user", "partner_admin"))
    .map(([email, role]) => new InviteCommand(email, role)),
  fc.nat(50).map((pick) => new ResendCommand(pick)),
  fc.nat(50).map((pick) => new RevokeCommand(pick)),
  fc.tuple(fc.nat(50), fc.constantFrom<"invitee" | "other">("invitee", "invitee", "other"))
    .map(([pick, who]) => new AcceptCommand(pick, who)),
  fc.constantFrom(1, week / 2, week - 1, week).map((ms) => new AdvanceClockCommand<Model, Real>(ms))
], { maxCommands: 30 })

const start = new Date("2026-01-01T00:00:00.000Z")

/** A fresh system: a platform admin, one provisioned organisation, and the users of the model's emails. */
const setup = Effect.gen(function*() {
  const userRepo = yield* UserRepo.UserRepo
  const make = (email: string, n: number, verified: boolean) =>
    new User.User({
      id: Ids.UserId.make(`usr_model_${n}`),
      subject: `model-${n}`,
      email: Schema.decodeSync(User.Email)(email),
      emailVerified: verified,
      displayName: email,
      createdAt: start
    })
  const platform = make("platform@aidial.example", 0, true)
  yield* userRepo.insert(platform)
  yield* (yield* MembershipRepo.MembershipRepo).put(new Role.PlatformMembership({ userId: platform.id, role: "aidial_admin" }))
  const admin: Principal.Principal = { _tag: "PlatformUser", userId: platform.id, role: "aidial_admin", selectedClientId: null }
  const org = yield* PartnerOrgs.provision(admin, { name: "Model Org", description: "" })
  const users = new Map<string, User.User>()
  for (const [i, email] of emails.entries()) {
    const user = make(email, i + 1, email !== unverified)
    yield* userRepo.insert(user)
    users.set(email, user)
  }
  const wrong = make("eve@model.example", 99, true)
  yield* userRepo.insert(wrong)
  return { admin, org: org.id, users, wrong }
})

/**
 * Runs the invitation model against `storage` (which must give fresh, empty storage each time it
 * is built): invite, resend, revoke, accept by the right, wrong or unverified user, and the clock.
 */
export const check = async <E>(
  storage: Layer.Layer<MemoryStack.Storage | Secrets.Secrets, E>,
  parameters: fc.Parameters<[Iterable<fc.AsyncCommand<Model, Real>>]> = {}
): Promise<void> => {
  await fc.assert(
    fc.asyncProperty(commands, async (cmds) => {
      const runtime = ManagedRuntime.make(Layer.mergeAll(storage, MemoryStack.layerRuntime(start)))
      try {
        const run = <A, E2>(effect: Effect.Effect<A, E2, Env>) => runtime.runPromiseExit(effect)
        const built = await runtime.runPromise(setup)
        const real: Real = { run, ...built }
        const model: Model = { now: start.getTime(), issued: [], members: new Set() }
        await fc.asyncModelRun(() => ({ model, real }), cmds)
      } finally {
        await runtime.dispose()
      }
    }),
    { numRuns: 100, ...parameters }
  )
}
