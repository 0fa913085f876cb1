/**
 * What happens to an authenticated request before its handler runs: one take from the principal's
 * rate limit (per key for API keys, per user for bearer tokens), and a pre-response hook that puts the
 * rate-limit headers on the response and, for an API key, appends `{ keyId, at, status }` to the usage
 * recorder once the final status is known.
 *
 * Headers follow draft-ietf-httpapi-ratelimit-headers-08:
 *
 *     RateLimit-Policy: "default";q=600;w=60      (quota q requests per window w seconds)
 *     RateLimit: "default";r=599;t=42             (r requests left, window resets in t seconds)
 *
 * The policy name is `default`, or `override` for a principal with its own limit. An exhausted
 * allowance is a 429 problem with `Retry-After` (seconds) and the same two headers.
 */
import { HttpApp, HttpServerResponse } from "@effect/platform"
import { Clock, type Principal, RateLimiter, UsageRecorder } from "@aidial/domain"
import { Context, Effect, Layer } from "effect"
import * as Problem from "./Problem.js"
import { RateLimitPolicy, limitFor } from "./RateLimitPolicy.js"

/** Admits authenticated requests: rate limit, headers, usage. */
export class Admission extends Context.Tag("@aidial/adapters-http/Admission")<Admission, {
  /** Takes one request from the principal's allowance; `RateLimited` when none is left. */
  readonly admit: (principal: Principal.Principal) => Effect.Effect<void, Problem.RateLimited>
}>() {}

/** The header naming the limit that applies (draft-ietf-httpapi-ratelimit-headers-08). */
export const policyHeader = "ratelimit-policy"
/** The header with what is left of the current window (draft-ietf-httpapi-ratelimit-headers-08). */
export const rateLimitHeader = "ratelimit"

const principalId = (principal: Principal.Principal): string =>
  principal._tag === "ApiKey" ? principal.keyId : principal.userId

/** Admission over a `RateLimiter`, a `RateLimitPolicy`, the usage recorder and the clock. */
export const layer: Layer.Layer<
  Admission,
  never,
  RateLimiter.RateLimiter | RateLimitPolicy | UsageRecorder.UsageRecorder | Clock.Clock
> = Layer.effect(
  Admission,
  Effect.gen(function*() {
    const limiter = yield* RateLimiter.RateLimiter
    const policy = yield* RateLimitPolicy
    const usage = yield* UsageRecorder.UsageRecorder
    const clock = yield* Clock.Clock
    return Admission.of({
      admit: (principal) => {
        const id = principalId(principal)
        const { limit, name } = limitFor(policy, id)
        const quota = `"${name}";q=${limit.requests};w=${limit.windowSeconds}`
        return Effect.flatMap(limiter.take(id, limit), (decision) => {
          const headers = {
            [policyHeader]: quota,
            [rateLimitHeader]: `"${name}";r=${decision.remaining};t=${decision.resetSeconds}`
          }
          const hook = HttpApp.appendPreResponseHandler((_, response) => {
            const withHeaders = HttpServerResponse.setHeaders(response, headers)
            if (principal._tag !== "ApiKey") return Effect.succeed(withHeaders)
            return Effect.map(clock.now, (at) => {
              usage.record(principal.keyId, at, response.status)
              return withHeaders
            })
          })
          return decision.allowed ? hook : Effect.zipRight(
            hook,
            Effect.fail(new Problem.RateLimited({
              detail: "Too many requests; retry after the time in Retry-After.",
              retryAfterSeconds: decision.resetSeconds
            }))
          )
        })
      }
    })
  })
)
