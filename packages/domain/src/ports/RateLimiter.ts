import { Context, type Effect } from "effect"

/** At most `requests` per `windowSeconds`. */
export interface Limit {
  readonly requests: number
  readonly windowSeconds: number
}

/** The answer to one request: whether it may go ahead, and what is left of the window. */
export interface Decision {
  readonly allowed: boolean
  /** Requests still allowed in the current window after this one. */
  readonly remaining: number
  /** Seconds until the window resets (for `RateLimit` and `Retry-After`), at least 1. */
  readonly resetSeconds: number
}

/** Counts requests per key (for example a principal) against a limit; taking is atomic per key. */
export class RateLimiter extends Context.Tag("@aidial/domain/RateLimiter")<RateLimiter, {
  /** Takes one request from `key`'s allowance under `limit`. */
  readonly take: (key: string, limit: Limit) => Effect.Effect<Decision>
}>() {}
