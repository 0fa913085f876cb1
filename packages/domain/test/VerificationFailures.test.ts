import { FastCheck as fc } from "effect"
import { describe, expect, it } from "vitest"
import type { Rejection } from "../src/ApiKey.js"
import * as VerificationFailures from "../src/VerificationFailures.js"

const policy = VerificationFailures.defaultPolicy
const interval = policy.auditIntervalSeconds * 1000

const reason = fc.constantFrom<Rejection>("malformed", "checksum", "unknown", "mismatch", "revoked", "rotated", "expired", "client_archived")
const failure = fc.record({
  gapMs: fc.nat({ max: 5_000 }),
  keyId: fc.option(fc.constantFrom("key_a", "key_b", "key_c", "key_d"), { nil: null }),
  clientId: fc.option(fc.constantFrom("cli_a", "cli_b"), { nil: null }),
  reason
})

describe("failed verifications", () => {
  it("write at most one event per bucket and interval, and the counts add up to the failures written for", () => {
    fc.assert(fc.property(fc.array(failure, { maxLength: 400 }), (failures) => {
      const tracker = VerificationFailures.make(policy)
      let now = 0
      const written = new Map<string, Array<number>>()
      let counted = 0
      for (const f of failures) {
        now += f.gapMs
        const outcome = tracker.record(now, f.keyId, f.clientId, f.reason)
        if (outcome.audit === null) continue
        expect(outcome.throttledForSeconds).toBeNull()
        const bucket = ["malformed", "checksum", "unknown"].includes(f.reason) || f.keyId === null ? f.reason : `${f.keyId}:${f.reason}`
        const times = written.get(bucket) ?? []
        const previous = times[times.length - 1]
        if (previous !== undefined) expect(now - previous).toBeGreaterThanOrEqual(interval)
        written.set(bucket, [...times, now])
        counted += outcome.audit.count
      }
      expect(counted).toBeLessThanOrEqual(failures.length)
    }))
  })

  it("throttles a key id past its limit until the window resets, writing nothing meanwhile", () => {
    const tracker = VerificationFailures.make(policy)
    const outcomes = Array.from({ length: 25 }, (_, i) => tracker.record(1_000 + i, "key_a", "cli_a", "mismatch"))
    expect(outcomes.slice(0, policy.perKey.requests).every((o) => o.throttledForSeconds === null)).toBe(true)
    expect(outcomes.slice(policy.perKey.requests).every((o) => o.throttledForSeconds !== null && o.audit === null)).toBe(true)
    expect(outcomes.filter((o) => o.audit !== null)).toEqual([{ throttledForSeconds: null, audit: { count: 1 } }])
    const later = tracker.record(1_000 + policy.perKey.windowSeconds * 1000, "key_a", "cli_a", "mismatch")
    // The next window's first failure carries every failure held back since the last event.
    expect(later).toEqual({ throttledForSeconds: null, audit: { count: 25 } })
  })

  it("throttles a client past its limit over all its keys", () => {
    const tracker = VerificationFailures.make(policy)
    const outcomes = Array.from({ length: policy.perClient.requests + 1 }, (_, i) => tracker.record(i, `key_${i}`, "cli_a", "mismatch"))
    expect(outcomes.slice(0, -1).every((o) => o.throttledForSeconds === null)).toBe(true)
    expect(outcomes[outcomes.length - 1]?.throttledForSeconds).toBeGreaterThan(0)
    expect(tracker.record(0, "key_other", "cli_b", "mismatch").throttledForSeconds).toBeNull()
  })

  it("coalesces keys that are not stored into one bucket per reason, so new ids add no events", () => {
    const tracker = VerificationFailures.make(policy)
    const events = Array.from({ length: 1_000 }, (_, i) => tracker.record(i, `key_random_${i}`, null, "unknown")).filter((o) => o.audit !== null)
    expect(events).toHaveLength(1)
  })
})
