import { ApiKeyUsage, type Ids } from "@aidial/domain"
import { Context, Effect, Layer, Runtime, Schedule } from "effect"

/**
 * Collects API-key usage in memory and hands it to the `ApiKeyUsage` store in batches, so a request
 * never waits on a usage write.
 *
 * Durability: entries live only in this process until their flush commits, so a crash loses at most
 * the entries of one flush interval (or fewer than `maxEntries`, whichever is smaller), plus any batch
 * whose write was failing at the time. A clean shutdown (the layer's scope closing) flushes what is left.
 */
export class UsageBuffer extends Context.Tag("@aidial/adapters-node/UsageBuffer")<UsageBuffer, {
  /** Appends one request's use synchronously; no I/O happens here. */
  readonly record: (keyId: Ids.ApiKeyId, at: Date, status: number) => void
  /** Writes everything buffered so far (also runs on its own every interval and on shutdown). */
  readonly flush: Effect.Effect<void>
}>() {}

export interface Options {
  /** How often the buffer is written, in milliseconds. */
  readonly intervalMillis: number
  /** A batch this large is written at once, without waiting for the interval. */
  readonly maxEntries: number
  /** The most entries kept while the store is failing; older ones are dropped beyond it. */
  readonly maxRetained?: number
}

/** A `UsageBuffer` writing to the `ApiKeyUsage` store every interval, at `maxEntries`, and on scope close. */
export const layer = (options: Options): Layer.Layer<UsageBuffer, never, ApiKeyUsage.ApiKeyUsage> =>
  Layer.scoped(
    UsageBuffer,
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

      return UsageBuffer.of({
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
