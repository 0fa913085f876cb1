import { describe, expect, it } from "@effect/vitest"
import { AuditLog, Configuration, DraftRepo, Projects, VersionRepo } from "@aidial/domain"
import { Deferred, Effect, Either, Fiber, Option } from "effect"
import { projectWithAdmin } from "./ProjectStack.js"
import { backends, stack } from "./TeamStack.js"

const all = { after: null, limit: 1000 }

/** Runs every effect at once, released together by one gate, and returns how each ended. */
const race = <A, E, R>(effects: ReadonlyArray<Effect.Effect<A, E, R>>) =>
  Effect.gen(function*() {
    const gate = yield* Deferred.make<void>()
    const gated = (effect: Effect.Effect<A, E, R>) => Effect.either(Effect.zipRight(Deferred.await(gate), effect))
    const running = yield* Effect.fork(Effect.all(effects.map(gated), { concurrency: "unbounded" }))
    yield* Effect.yieldNow()
    yield* Deferred.succeed(gate, undefined)
    return yield* Fiber.join(running)
  })

const tagsOf = <A, E extends { readonly _tag: string }>(results: ReadonlyArray<Either.Either<A, E>>) =>
  results.filter(Either.isLeft).map((r) => r.left._tag)

const actions = (action: string) =>
  Effect.map(Effect.flatMap(AuditLog.AuditLog, (log) => log.query({ action }, all)), (page) => page.items.length)

describe.each(backends)("%s: project configuration races", (_name, client) => {
  it.effect("8 publishes of one revision released together make exactly one version; the other 7 are conflicts", () =>
    Effect.gen(function*() {
      const { admin, project } = yield* projectWithAdmin
      yield* Projects.patchDraft(admin, project.id, 0, { agent: { instructions: "Be brief." } })

      const results = yield* race(Array.from({ length: 8 }, () => Projects.publish(admin, project.id, 1, null)))

      expect(results.filter(Either.isRight).length).toBe(1)
      const refused = tagsOf(results)
      expect(refused.length).toBe(7)
      expect(refused.every((tag) => tag === "NothingToPublish" || tag === "VersionConflict")).toBe(true)
      const versions = yield* (yield* VersionRepo.VersionRepo).list(project.id)
      expect(versions.map((v) => v.version)).toEqual([1])
      expect(yield* actions("project.publish")).toBe(1)
    }).pipe(Effect.provide(stack(client()))))

  it.effect("8 patches with the same expected revision make exactly one new revision; the other 7 fail the precondition", () =>
    Effect.gen(function*() {
      const { admin, project } = yield* projectWithAdmin
      yield* Projects.patchDraft(admin, project.id, 0, { agent: { voice: "aria" } })

      const results = yield* race(Array.from({ length: 8 }, (_, i) =>
        Projects.patchDraft(admin, project.id, 1, { agent: { instructions: `writer ${i}` } })))

      expect(results.filter(Either.isRight).length).toBe(1)
      expect(tagsOf(results)).toEqual(Array.from({ length: 7 }, () => "RevisionMismatch"))
      const draft = yield* (yield* DraftRepo.DraftRepo).get(project.id)
      expect(Option.map(draft, (d) => d.revision)).toEqual(Option.some(2))
      const winner = results.find(Either.isRight)
      expect(Option.map(draft, (d) => d.document)).toEqual(Option.some(winner?._tag === "Right" ? winner.right.document : null))
      expect(yield* actions("project.draft.edit")).toBe(2)
    }).pipe(Effect.provide(stack(client()))))

  it.effect("a restore racing a patch on one revision leaves one of the two, never a mix", () =>
    Effect.gen(function*() {
      const { admin, project } = yield* projectWithAdmin
      yield* Projects.patchDraft(admin, project.id, 0, { agent: { instructions: "version one" } })
      yield* Projects.publish(admin, project.id, 1, null)
      const v1 = Option.getOrThrow(yield* (yield* VersionRepo.VersionRepo).get(project.id, 1))
      yield* Projects.patchDraft(admin, project.id, 1, { agent: { instructions: "drafted" } })

      const results = yield* race([
        Effect.asVoid(Projects.restore(admin, project.id, 1, 2)),
        Effect.asVoid(Projects.patchDraft(admin, project.id, 2, { agent: { first_message: "patched" } }))
      ])

      expect(results.filter(Either.isRight).length).toBe(1)
      expect(tagsOf(results)).toEqual(["RevisionMismatch"])
      const draft = Option.getOrThrow(yield* (yield* DraftRepo.DraftRepo).get(project.id))
      expect(draft.revision).toBe(3)
      const restoredWon = Either.isRight(results[0] ?? Either.left({ _tag: "none" }))
      expect(draft.restoredFrom).toBe(restoredWon ? 1 : null)
      expect(draft.document).toEqual(
        restoredWon
          ? v1.document
          : { ...Configuration.empty, agent: { ...Configuration.empty.agent, instructions: "drafted", first_message: "patched" } }
      )
    }).pipe(Effect.provide(stack(client()))))
})
