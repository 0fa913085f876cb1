import { RateLimiter } from "@aidial/domain"
import { Effect, Layer } from "effect"

/** How often (in takes) windows that have ended are swept out of memory. */
const sweepEvery = 10_000

interface Window {
  /** The window's first millisecond (windows are aligned on multiples of their length). */
  readonly start: number
  readonly end: number
  count: number
}

/**
 * A fixed-window limiter in process memory: each `(key, limit)` gets a counter per aligned window of
 * `windowSeconds`, and a take succeeds while the counter is below `requests`. Checking and counting
 * happen in one synchronous step, so concurrent takes never overshoot. Fixed windows allow up to
 * twice the limit across a window boundary; that is the price of one integer per key. Counts are per
 * process: behind several processes, use a shared adapter.
 */
export const layer: Layer.Layer<RateLimiter.RateLimiter> = Layer.sync(RateLimiter.RateLimiter, () => {
  const windows = new Map<string, Window>()
  let takes = 0
  const sweep = (now: number) => {
    for (const [key, window] of windows) if (window.end <= now) windows.delete(key)
  }
  return RateLimiter.RateLimiter.of({
    // Decided in the step that reads the clock: a take is on every authenticated request.
    take: (key, limit) =>
      Effect.clockWith((clock) => {
        const now = clock.unsafeCurrentTimeMillis()
        if (++takes % sweepEvery === 0) sweep(now)
        const length = Math.max(1, limit.windowSeconds) * 1000
        const id = `${limit.requests}/${limit.windowSeconds}\u0000${key}`
        let window = windows.get(id)
        if (window === undefined || window.end <= now) {
          const start = Math.floor(now / length) * length
          window = { start, end: start + length, count: 0 }
          windows.set(id, window)
        }
        const allowed = window.count < limit.requests
        if (allowed) window.count++
        return Effect.succeed({
          allowed,
          remaining: Math.max(0, limit.requests - window.count),
          resetSeconds: Math.max(1, Math.ceil((window.end - now) / 1000))
        })
      })
  })
})
