import { RateLimiter } from "@aidial/domain"
import { Deferred, Effect, TestClock, TestContext } from "effect"
import { describe, expect, it } from "vitest"
import * as InProcessRateLimiter from "../src/InProcessRateLimiter.js"

const run = <A, E>(effect: Effect.Effect<A, E, RateLimiter.RateLimiter>) =>
  Effect.runPromise(effect.pipe(Effect.provide(InProcessRateLimiter.layer), Effect.provide(TestContext.TestContext)))

const limit = { requests: 5, windowSeconds: 60 }

describe("the in-process rate limiter", () => {
  it("lets exactly L of L+8 simultaneous takes through", () =>
    run(Effect.gen(function*() {
      const limiter = yield* RateLimiter.RateLimiter
      const gate = yield* Deferred.make<void>()
      const fiber = yield* Effect.fork(Effect.all(
        Array.from({ length: limit.requests + 8 }, () => Effect.zipRight(Deferred.await(gate), limiter.take("key_a", limit))),
        { concurrency: "unbounded" }
      ))
      yield* Deferred.succeed(gate, undefined)
      const decisions = yield* Effect.flatten(fiber.await)
      expect(decisions.filter((d) => d.allowed)).toHaveLength(limit.requests)
      expect(decisions.filter((d) => d.allowed).map((d) => d.remaining).sort()).toEqual([0, 1, 2, 3, 4])
      expect(decisions.filter((d) => !d.allowed).every((d) => d.remaining === 0)).toBe(true)
    })))

  it("starts a new window after windowSeconds and reports the seconds left", () =>
    run(Effect.gen(function*() {
      const limiter = yield* RateLimiter.RateLimiter
      for (let i = 0; i < limit.requests; i++) yield* limiter.take("key_a", limit)
      yield* TestClock.adjust("20 seconds")
      expect(yield* limiter.take("key_a", limit)).toEqual({ allowed: false, remaining: 0, resetSeconds: 40 })
      yield* TestClock.adjust("40 seconds")
      expect(yield* limiter.take("key_a", limit)).toEqual({ allowed: true, remaining: 4, resetSeconds: 60 })
    })))

  it("counts each key separately", () =>
    run(Effect.gen(function*() {
      const limiter = yield* RateLimiter.RateLimiter
      const one = { requests: 1, windowSeconds: 1 }
      expect((yield* limiter.take("key_a", one)).allowed).toBe(true)
      expect((yield* limiter.take("key_a", one)).allowed).toBe(false)
      expect((yield* limiter.take("key_b", one)).allowed).toBe(true)
    })))
})
