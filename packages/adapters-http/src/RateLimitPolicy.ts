/**
 * How many requests each principal may make: one default limit, and overrides by API-key id (or user
 * id). Written as `<requests>/<windowSeconds>`, e.g. `600/60`; overrides as
 * `key_abc=5/60,key_def=1000/60`.
 */
import { Ids, type RateLimiter } from "@aidial/domain"
import { Context, Either, Layer } from "effect"

/** The limits in force. */
export interface Policy {
  readonly default: RateLimiter.Limit
  /** Limits for particular principals, by API-key id or user id. */
  readonly overrides: ReadonlyMap<string, RateLimiter.Limit>
}

/** The rate-limit policy the API enforces. */
export class RateLimitPolicy extends Context.Tag("@aidial/adapters-http/RateLimitPolicy")<RateLimitPolicy, Policy>() {}

/** A fixed policy. */
export const layer = (policy: Policy): Layer.Layer<RateLimitPolicy> => Layer.succeed(RateLimitPolicy, policy)

/** The policy when nothing is configured: 600 requests a minute per principal. */
export const defaultPolicy: Policy = { default: { requests: 600, windowSeconds: 60 }, overrides: new Map() }

const limitPattern = /^\s*(\d{1,9})\s*\/\s*(\d{1,7})\s*$/

/** Parses `<requests>/<windowSeconds>` (both positive integers). */
export const parseLimit = (text: string): Either.Either<RateLimiter.Limit, string> => {
  const match = limitPattern.exec(text)
  const requests = Number(match?.[1] ?? "0")
  const windowSeconds = Number(match?.[2] ?? "0")
  return match === null || requests < 1 || windowSeconds < 1
    ? Either.left(`expected <requests>/<seconds> such as 600/60, got "${text.slice(0, 40)}"`)
    : Either.right({ requests, windowSeconds })
}

/** Parses `id=<requests>/<seconds>,...` (empty text: no overrides). */
export const parseOverrides = (text: string): Either.Either<ReadonlyMap<string, RateLimiter.Limit>, string> => {
  const overrides = new Map<string, RateLimiter.Limit>()
  for (const part of text.split(",")) {
    if (part.trim().length === 0) continue
    const eq = part.indexOf("=")
    const id = part.slice(0, Math.max(0, eq)).trim()
    if (eq < 0 || !Ids.pattern.test(id)) return Either.left(`expected <key id>=<requests>/<seconds>, got "${part.trim().slice(0, 40)}"`)
    const limit = parseLimit(part.slice(eq + 1))
    if (Either.isLeft(limit)) return Either.left(`${id}: ${limit.left}`)
    overrides.set(id, limit.right)
  }
  return Either.right(overrides)
}

/** The limit that applies to a principal, and the policy name shown in the headers. */
export const limitFor = (policy: Policy, principalId: string): { readonly name: string; readonly limit: RateLimiter.Limit } => {
  const override = policy.overrides.get(principalId)
  return override === undefined ? { name: "default", limit: policy.default } : { name: "override", limit: override }
}
