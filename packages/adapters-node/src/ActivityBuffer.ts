/**
 * Members' last-active times collected off the request path: `record` is a synchronous write into a
 * map that keeps each user's latest time, and a background fiber hands the map to
 * `MemberActivity.touchLastActive` in batches every `flushEveryMs` and once more when the layer's
 * scope closes (shutdown). A crash loses at most one interval of last-active times.
 */
import { ActivityRecorder, Clock, type Ids, MemberActivity } from "@aidial/domain"
import { Duration, Effect, Layer } from "effect"

/** When the buffer writes. */
export interface Options {
  /** The longest a time waits in memory (default 5000 ms). */
  readonly flushEveryMs?: number
  /** Users per `touchLastActive` call (default 500). */
  readonly batchSize?: number
}

/**
 * The `ActivityRecorder` as a buffer over a `MemberActivity` store, stamping times from `Clock`; its
 * scope's close writes what is left.
 */
export const layer = (
  options: Options = {}
): Layer.Layer<ActivityRecorder.ActivityRecorder, never, MemberActivity.MemberActivity | Clock.Clock> =>
  Layer.scoped(
    ActivityRecorder.ActivityRecorder,
    Effect.gen(function*() {
      const activity = yield* MemberActivity.MemberActivity
      const clock = yield* Clock.Clock
      const every = Duration.millis(Math.max(1, options.flushEveryMs ?? 5000))
      const batchSize = Math.max(1, options.batchSize ?? 500)
      let noted = new Map<Ids.UserId, Date>()
      const lock = yield* Effect.makeSemaphore(1)

      const note = (userId: Ids.UserId, at: Date) => {
        const seen = noted.get(userId)
        if (seen === undefined || seen.getTime() < at.getTime()) noted.set(userId, at)
      }

      const flush: Effect.Effect<void> = Effect.uninterruptible(lock.withPermits(1)(Effect.suspend(() => {
        if (noted.size === 0) return Effect.void
        const taken = [...noted].map(([userId, at]) => ({ userId, at }))
        noted = new Map()
        const batches: Array<ReadonlyArray<MemberActivity.Activity>> = []
        for (let i = 0; i < taken.length; i += batchSize) batches.push(taken.slice(i, i + batchSize))
        return Effect.forEach(batches, (batch) =>
          activity.touchLastActive(batch).pipe(
            Effect.catchAll((error) =>
              Effect.zipRight(
                Effect.logError("last-active batch not written; kept for the next flush", error),
                Effect.sync(() => batch.forEach(({ at, userId }) => note(userId, at)))
              )
            )
          ), { discard: true })
      })))

      yield* Effect.addFinalizer(() => flush)
      yield* Effect.forkScoped(Effect.forever(Effect.zipRight(Effect.sleep(every), flush)))
      return ActivityRecorder.ActivityRecorder.of({
        record: (userId: Ids.UserId) => Effect.map(clock.now, (at) => note(userId, at)),
        flush,
        pending: () => noted.size
      })
    })
  )
