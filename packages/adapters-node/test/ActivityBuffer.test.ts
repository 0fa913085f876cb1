import { ActivityBuffer } from "@aidial/adapters-node"
import { ActivityRecorder, Clock, Ids, MemberActivity, StorageError } from "@aidial/domain"
import { Context, Effect, Exit, Layer, Scope } from "effect"
import { describe, expect, it } from "vitest"

const ada = Ids.UserId.make("usr_ada")
const bo = Ids.UserId.make("usr_bo")

/** A `MemberActivity` that records every batch it is given and can be told to fail. */
const recording = () => {
  const batches: Array<ReadonlyArray<MemberActivity.Activity>> = []
  const state = { failing: false }
  const layer = Layer.succeed(MemberActivity.MemberActivity, MemberActivity.MemberActivity.of({
    touchLastActive: (batch) =>
      state.failing
        ? Effect.fail(new StorageError.StorageError({ message: "down" }))
        : Effect.sync(() => void batches.push(batch)),
    lastActive: () => Effect.succeed(new Map())
  }))
  return { batches, state, layer }
}

const clockAt = (time: { ms: number }) =>
  Layer.succeed(Clock.Clock, Clock.Clock.of({ now: Effect.sync(() => new Date(time.ms)) }))

describe("ActivityBuffer", () => {
  it("writes nothing on record, one coalesced batch on flush, and what is left when its scope closes", async () => {
    const store = recording()
    const time = { ms: 1_000 }
    const scope = Effect.runSync(Scope.make())
    const layer = ActivityBuffer.layer({ flushEveryMs: 60_000, batchSize: 1 }).pipe(
      Layer.provide(Layer.merge(store.layer, clockAt(time)))
    )
    const buffer = Context.get(await Effect.runPromise(Layer.buildWithScope(layer, scope)), ActivityRecorder.ActivityRecorder)
    await Effect.runPromise(buffer.record(ada))
    time.ms = 2_000
    await Effect.runPromise(buffer.record(ada))
    await Effect.runPromise(buffer.record(bo))
    expect(store.batches).toEqual([])
    expect(buffer.pending()).toBe(2)
    await Effect.runPromise(buffer.flush)
    expect(store.batches).toEqual([[{ userId: ada, at: new Date(2_000) }], [{ userId: bo, at: new Date(2_000) }]])
    time.ms = 3_000
    await Effect.runPromise(buffer.record(bo))
    await Effect.runPromise(Scope.close(scope, Exit.void))
    expect(store.batches.at(-1)).toEqual([{ userId: bo, at: new Date(3_000) }])
  })

  it("keeps the times when a write fails, for the next flush", async () => {
    const store = recording()
    const time = { ms: 5_000 }
    await Effect.runPromise(Effect.scoped(Effect.gen(function*() {
      const buffer = yield* ActivityRecorder.ActivityRecorder
      store.state.failing = true
      yield* buffer.record(ada)
      yield* buffer.flush
      expect(buffer.pending()).toBe(1)
      store.state.failing = false
      yield* buffer.flush
      expect(buffer.pending()).toBe(0)
    }).pipe(Effect.provide(ActivityBuffer.layer({ flushEveryMs: 60_000 }).pipe(Layer.provide(Layer.merge(store.layer, clockAt(time))))))))
    expect(store.batches).toEqual([[{ userId: ada, at: new Date(5_000) }]])
  })
})
