/**
 * Failed API-key verifications: a limit on them per key id and per client, and the coalescing of their
 * audit events, so that no request pattern grows the audit trail faster than a fixed rate.
 *
 * - Limit: past `perKey` failures of one key id (stored or not) or `perClient` failures of one client's
 *   keys in a window, a failure is throttled (HTTP 429) and writes nothing. Only failures count and only
 *   failures are throttled: a key that verifies is never refused, however its id is being flooded.
 * - Audit: at most one event per `auditIntervalSeconds` for each stored key and reason, and one per reason
 *   (`malformed`, `checksum`, `unknown`) for keys that are not stored; the event's `count` is the number of
 *   failures it stands for (itself and those held back since the previous event of its bucket).
 *
 * The state is this process's (like the in-process request limiter), bounded to `maxTracked` entries.
 */
import * as BoundedCache from "./BoundedCache.js"
import { Context } from "effect"
import type { Rejection } from "./ApiKey.js"
import type { Limit } from "./ports/RateLimiter.js"

/** How failed verifications are limited and audited. */
export interface Policy {
  /** Failures allowed per key id per window. */
  readonly perKey: Limit
  /** Failures allowed per client (over all its keys) per window. */
  readonly perClient: Limit
  /** One audit event per bucket per this many seconds. */
  readonly auditIntervalSeconds: number
  /** The most key ids, clients and audit buckets tracked at once; the oldest are forgotten first. */
  readonly maxTracked: number
}

/** 10 failures a minute per key id, 100 per client, one audit event per key and reason a minute. */
export const defaultPolicy: Policy = {
  perKey: { requests: 10, windowSeconds: 60 },
  perClient: { requests: 100, windowSeconds: 60 },
  auditIntervalSeconds: 60,
  maxTracked: 10_000
}

/** The policy the verifier applies; `defaultPolicy` unless a layer provides another. */
export class FailurePolicy extends Context.Reference<FailurePolicy>()("@aidial/domain/VerificationFailures/FailurePolicy", {
  defaultValue: (): Policy => defaultPolicy
}) {}

/** What to do with one failure: refuse it as throttled, and whether to write an audit event (with its count). */
export interface Outcome {
  /** Seconds until the exhausted window resets, or `null` when the failure is within the limits. */
  readonly throttledForSeconds: number | null
  /** The event to write now, standing for `count` failures, or `null` when it is held back. */
  readonly audit: { readonly count: number } | null
}

/** Reasons that do not name a stored key: their audit events are coalesced over every key id. */
const keyless: ReadonlySet<Rejection> = new Set<Rejection>(["malformed", "checksum", "unknown"])

interface Window {
  start: number
  count: number
}

interface Bucket {
  lastWritten: number
  pending: number
}

/** A tracker of failures under `policy`: `record` is called once per failed verification. */
export const make = (policy: Policy) => {
  const windows = BoundedCache.make<string, Window>(policy.maxTracked)
  const buckets = BoundedCache.make<string, Bucket>(policy.maxTracked)
  const interval = policy.auditIntervalSeconds * 1000

  /** Counts one failure against `key` under `limit`; the seconds left in its window when over the limit. */
  const take = (key: string, limit: Limit, now: number): number | null => {
    const length = limit.windowSeconds * 1000
    const current = windows.get(key)
    const window = current !== undefined && now - current.start < length ? current : { start: now, count: 0 }
    if (window !== current) windows.set(key, window)
    window.count += 1
    return window.count > limit.requests ? Math.max(1, Math.ceil((window.start + length - now) / 1000)) : null
  }

  return {
    /** Records one failure of key `keyId` (null when none could be parsed) of `clientId` (null when not stored). */
    record: (now: number, keyId: string | null, clientId: string | null, reason: Rejection): Outcome => {
      const byKey = keyId === null ? null : take(`key:${keyId}`, policy.perKey, now)
      const byClient = clientId === null ? null : take(`client:${clientId}`, policy.perClient, now)
      const throttledForSeconds = byKey === null ? byClient : byClient === null ? byKey : Math.max(byKey, byClient)
      const name = keyless.has(reason) || keyId === null ? reason : `${keyId}:${reason}`
      const bucket = buckets.get(name)
      if (throttledForSeconds !== null || (bucket !== undefined && now - bucket.lastWritten < interval)) {
        if (bucket !== undefined) bucket.pending += 1
        else {
          // A failure throttled before its bucket's first event: held for the next event of the bucket.
          buckets.set(name, { lastWritten: now - interval, pending: 1 })
        }
        return { throttledForSeconds, audit: null }
      }
      const count = (bucket?.pending ?? 0) + 1
      buckets.set(name, { lastWritten: now, pending: 0 })
      return { throttledForSeconds: null, audit: { count } }
    }
  }
}
