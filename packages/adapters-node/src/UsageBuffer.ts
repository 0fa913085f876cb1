/**
 * The `UsageRecorder` as an in-memory buffer handing API-key usage to the `ApiKeyUsage` store in
 * batches, so a request never waits on a usage write.
 *
 * Durability: entries live only in this process until their flush commits, so a crash loses at most
 * the entries of one flush interval (or fewer than `maxEntries`, whichever is smaller), plus any batch
 * whose write was failing at the time. A clean shutdown (the layer's scope closing) flushes what is left.
 */
import { ApiKeyUsage, UsageRecorder } from "@aidial/domain"
import { Effect, Layer, Runtime, Schedule } from "effect"

/** When the buffer writes, and how much it keeps while the store fails. */
export interface Options {
  /** How often the buffer is written, in milliseconds. */
  readonly intervalMillis: number
  /** A batch this large is written at once, without waiting for the interval. */
  readonly maxEntries: number
  /** The most entries kept while the store is failing; older ones are dropped beyond it. */
  readonly maxRetained?: number
}

/** The buffer, writing to the `ApiKeyUsage` store every interval, at `maxEntries`, and on scope close. */
export const layer = (options: Options): Layer.Layer<UsageRecorder.UsageRecorder, never, ApiKeyUsage.ApiKeyUsage> =>
  Layer.scoped(
    UsageRecorder.UsageRecorder,
    Effect.gen(function*() {
      const usage = yield* ApiKeyUsage.ApiKeyUsage
      const runtime = yield* Effect.runtime<never>()
      const maxRetained = options.maxRetained ?? options.maxEntries * 100
      const lock = yield* Effect.makeSemaphore(1)
      let pending: Array<ApiKeyUsage.UsageEntry> = []
      let flushRequested = false

      const flush: Effect.Effect<void> = lock.withPermits(1)(Effect.suspend(() => {
        flushRequested = false
        if (pending.length === 0) return Effect.void
        const batch = pending
        pending = []
        return usage.recordBatch(batch).pipe(
          Effect.catchAll((error) =>
            Effect.suspend(() => {
              const kept = batch.concat(pending)
              pending = kept.length > maxRetained ? kept.slice(kept.length - maxRetained) : kept
              return Effect.logWarning("API-key usage flush failed; the batch is kept for the next flush", error)
            })
          )
        )
      }))

      yield* Effect.forkScoped(Effect.repeat(flush, Schedule.spaced(options.intervalMillis)))
      yield* Effect.addFinalizer(() => flush)

      return UsageRecorder.UsageRecorder.of({
        record: (keyId, at, status) => {
          pending.push({ keyId, at, status })
          if (pending.length >= options.maxEntries && !flushRequested) {
            flushRequested = true
            Runtime.runFork(runtime)(flush)
          }
        },
        flush
      })
    })
  )
