import { Arbitrary, Cause, Data, Effect, Either, FastCheck as fc, Logger, Option, Redacted, Schema } from "effect"
import { inspect } from "node:util"
import { describe, expect, it } from "vitest"
import * as ApiKey from "../src/ApiKey.js"
import { AuditEvent } from "../src/Audit.js"
import * as Ids from "../src/Ids.js"

const base62 = (length: number) =>
  fc.string({ unit: fc.constantFrom(...ApiKey.alphabet), minLength: length, maxLength: length })
const env = fc.constantFrom<"live" | "test">("live", "test")
const parts = fc.tuple(env, base62(ApiKey.keyIdLength), base62(ApiKey.secretLength))
const token = parts.map(([e, k, s]) => ApiKey.format(e, k, s))

describe("the API key format", () => {
  it("computes the standard CRC-32 (check value of \"123456789\")", () => {
    expect(ApiKey.crc32("123456789")).toBe(0xcbf43926)
  })

  it("parses what it formats: environment, stored id and display prefix", () => {
    fc.assert(fc.property(parts, ([e, keyId, secret]) => {
      const plaintext = ApiKey.format(e, keyId, secret)
      expect(plaintext).toHaveLength(ApiKey.tokenLength)
      expect(plaintext.startsWith(`adk_${e}_${keyId}_${secret}`)).toBe(true)
      expect(ApiKey.parse(plaintext)).toEqual(
        Either.right({ id: `key_${keyId}`, environment: e, prefix: `adk_${e}_${keyId}` })
      )
    }))
  })

  it("rejects any single-character change before any storage read", () => {
    const replacement = fc.oneof(fc.constantFrom(...ApiKey.alphabet), fc.constantFrom("_", "-", " ", "é", "0", "z"))
    fc.assert(
      fc.property(token, fc.nat(), replacement, (plaintext, at, char) => {
        const i = at % plaintext.length
        fc.pre(plaintext.charAt(i) !== char)
        const changed = plaintext.slice(0, i) + char + plaintext.slice(i + 1)
        expect(Either.isLeft(ApiKey.parse(changed))).toBe(true)
      }),
      { numRuns: 2000 }
    )
  })

  it("rejects a change to every single position of one key, with every other digit", () => {
    const plaintext = ApiKey.format("live", "A".repeat(16), "b".repeat(22))
    for (let i = 0; i < plaintext.length; i++) {
      for (const char of ApiKey.alphabet + "_") {
        if (plaintext.charAt(i) === char) continue
        const changed = plaintext.slice(0, i) + char + plaintext.slice(i + 1)
        expect(Either.isLeft(ApiKey.parse(changed))).toBe(true)
      }
    }
  })

  it("tells a bad checksum from a malformed key (the reason goes to the audit trail)", () => {
    const plaintext = ApiKey.format("test", "0123456789abcdef", "ABCDEFGHIJKLMNOPQRSTUV")
    const last = plaintext.charAt(plaintext.length - 1) === "0" ? "1" : "0"
    expect(ApiKey.parse(plaintext.slice(0, -1) + last)).toEqual(Either.left("checksum"))
    expect(ApiKey.parse(plaintext.replace("adk_", "sk__"))).toEqual(Either.left("malformed"))
    expect(ApiKey.parse(plaintext.replace("_test_", "_prod_"))).toEqual(Either.left("malformed"))
    expect(ApiKey.parse(plaintext + "x")).toEqual(Either.left("malformed"))
    expect(ApiKey.parse("")).toEqual(Either.left("malformed"))
  })

  it("is found by the pattern a secret scanner uses, inside surrounding text, and nothing else is", () => {
    fc.assert(fc.property(token, fc.string(), (plaintext, noise) => {
      const text = `config: X_API_KEY=${plaintext}\n# ${noise.replace(/[A-Za-z0-9_]/g, " ")}`
      expect([...text.matchAll(ApiKey.scannerPattern)].map((m) => m[0])).toEqual([plaintext])
    }))
    expect("adk_prod_0123456789abcdef_ABCDEFGHIJKLMNOPQRSTUV012345".match(ApiKey.scannerPattern)).toBeNull()
  })

  it("carries at least 128 bits of CSPRNG entropy in the secret by construction", () => {
    expect(ApiKey.secretBits).toBeGreaterThanOrEqual(128)
    expect(ApiKey.secretLength).toBe(22)
    expect(ApiKey.randomDigits).toBe(ApiKey.keyIdLength + ApiKey.secretLength)
    const minted = ApiKey.mint("live", "k".repeat(16) + "s".repeat(22))
    const plaintext = Redacted.value(minted.plaintext)
    expect(plaintext.slice(26, 48)).toBe("s".repeat(22))
    expect(minted.prefix).toBe(`adk_live_${"k".repeat(16)}`)
    expect(minted.id).toBe(`key_${"k".repeat(16)}`)
  })

  it("maps random bytes to digits without bias: bytes 248-255 are skipped, the rest taken modulo 62", () => {
    const bytes = Uint8Array.from([0, 61, 62, 247, 248, 255, 100])
    expect(ApiKey.base62FromBytes(bytes, 10)).toBe("0z0zc")
    expect(ApiKey.base62FromBytes(bytes, 2)).toBe("0z")
    const counts = new Map<string, number>()
    for (let b = 0; b < 248; b++) {
      const d = ApiKey.base62FromBytes(Uint8Array.of(b), 1)
      counts.set(d, (counts.get(d) ?? 0) + 1)
    }
    expect(counts.size).toBe(62)
    expect(new Set(counts.values())).toEqual(new Set([4]))
  })
})

describe("the plaintext as a redacted value", () => {
  const plaintext = Redacted.make(ApiKey.format("live", "0123456789abcdef", "ABCDEFGHIJKLMNOPQRSTUV"))
  const secret = Redacted.value(plaintext)

  class Leaky extends Data.TaggedError("Leaky")<{ readonly plaintext: Redacted.Redacted<string> }> {}

  it("prints <redacted> through String, JSON, console formatting and template strings", () => {
    expect(String(plaintext)).toBe("<redacted>")
    expect(`${plaintext}`).toBe("<redacted>")
    expect(JSON.stringify({ plaintext })).toBe("{\"plaintext\":\"<redacted>\"}")
    expect(inspect({ plaintext })).not.toContain(secret)
    expect(inspect({ plaintext })).toContain("<redacted>")
  })

  it("prints <redacted> inside an error and its cause", () => {
    const error = new Leaky({ plaintext })
    for (const rendering of [String(error), inspect(error), JSON.stringify(error), Cause.pretty(Cause.fail(error))]) {
      expect(rendering).not.toContain(secret)
    }
    expect(JSON.stringify(error)).toContain("<redacted>")
  })

  it("prints <redacted> inside an audit event and a log line", () => {
    const event = new AuditEvent({
      id: "evt_1",
      at: new Date(0),
      actor: { kind: "user", id: "usr_1" },
      action: "apikey.create",
      targetType: "api_key",
      targetId: "key_1",
      clientId: null,
      partnerOrgId: null,
      outcome: "success",
      requestId: "req_1",
      details: { key: String(plaintext) }
    })
    expect(JSON.stringify(event)).not.toContain(secret)
    expect(inspect(event)).not.toContain(secret)

    const lines: Array<string> = []
    const capture = Logger.map(Logger.logfmtLogger, (line) => void lines.push(line))
    Effect.runSync(
      Effect.log("issued", { plaintext }).pipe(
        Effect.annotateLogs("key", plaintext),
        Effect.provide(Logger.replace(Logger.defaultLogger, capture))
      )
    )
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain("<redacted>")
    expect(lines[0]).not.toContain(secret)
  })
})

describe("key states", () => {
  const now = new Date("2026-06-01T00:00:00.000Z")
  const past = new Date(now.getTime() - 1)
  const future = new Date(now.getTime() + 1)

  it("derives expiry from the clock: an expiry instant itself is already expired", () => {
    expect(ApiKey.effectiveStatus({ status: "active", expiresAt: null }, now)).toBe("active")
    expect(ApiKey.effectiveStatus({ status: "active", expiresAt: future }, now)).toBe("active")
    expect(ApiKey.effectiveStatus({ status: "active", expiresAt: now }, now)).toBe("expired")
    expect(ApiKey.effectiveStatus({ status: "revoked", expiresAt: past }, now)).toBe("revoked")
    expect(ApiKey.effectiveStatus({ status: "rotated", expiresAt: future }, now)).toBe("rotated")
  })

  it("authenticates only an active, unexpired key of an active client", () => {
    expect(ApiKey.isUsable({ status: "active", expiresAt: future }, now, "active")).toBe(true)
    expect(ApiKey.isUsable({ status: "active", expiresAt: null }, now, "active")).toBe(true)
    const refused: Array<[ApiKey.Status, Date | null, "active" | "archived", ApiKey.Rejection]> = [
      ["active", null, "archived", "client_archived"],
      ["active", past, "active", "expired"],
      ["rotated", null, "active", "rotated"],
      ["revoked", future, "active", "revoked"]
    ]
    for (const [status, expiresAt, client, reason] of refused) {
      expect(ApiKey.isUsable({ status, expiresAt }, now, client)).toBe(false)
      expect(ApiKey.rejection({ status, expiresAt }, now, client)).toEqual(Option.some(reason))
    }
  })

  it("rotates only an active unexpired key, revokes only a stored-active one; rotated and revoked are final", () => {
    expect(ApiKey.canRotate({ status: "active", expiresAt: future }, now)).toBe(true)
    expect(ApiKey.canRotate({ status: "active", expiresAt: past }, now)).toBe(false)
    expect(ApiKey.canRotate({ status: "rotated", expiresAt: null }, now)).toBe(false)
    expect(ApiKey.canRotate({ status: "revoked", expiresAt: null }, now)).toBe(false)
    expect(ApiKey.canRevoke({ status: "active" })).toBe(true)
    expect(ApiKey.canRevoke({ status: "rotated" })).toBe(false)
    expect(ApiKey.canRevoke({ status: "revoked" })).toBe(false)
  })

  it("resolves expiry requests: never, 30/90/180 days, or a future instant", () => {
    const day = 86_400_000
    expect(ApiKey.resolveExpiry({ _tag: "Never" }, now)).toEqual(Either.right(null))
    for (const days of [30, 90, 180] as const) {
      expect(ApiKey.resolveExpiry({ _tag: "InDays", days }, now)).toEqual(
        Either.right(new Date(now.getTime() + days * day))
      )
    }
    expect(ApiKey.resolveExpiry({ _tag: "At", at: future }, now)).toEqual(Either.right(future))
    const refused = ApiKey.resolveExpiry({ _tag: "At", at: now }, now)
    expect(Either.isLeft(refused) && refused.left._tag).toBe("InvalidExpiry")
  })
})

describe("ApiKey.make", () => {
  const Fields = Schema.Struct(ApiKey.ApiKey.fields)
  const outcome = (build: () => ApiKey.ApiKey) => {
    try {
      return { ok: true as const, key: build() }
    } catch (error) {
      return { ok: false as const, error: error instanceof Error ? error.name : String(error) }
    }
  }
  // Fields of the right type, then some made invalid: names and reasons untrimmed or too long, ids with spaces.
  const fields = Arbitrary.make(Fields).chain((valid) =>
    fc.oneof(
      fc.constant(valid),
      fc.constant({ ...valid, name: ` ${valid.name}` }),
      fc.constant({ ...valid, description: "x".repeat(1001) }),
      fc.string().map((id) => ({ ...valid, id: Ids.ApiKeyId.make(`key ${id}`, { disableValidation: true }) }))
    )
  )

  it("accepts exactly the fields the class constructor accepts, and builds an equal key", () => {
    fc.assert(fc.property(fields, (candidate) => {
      const made = outcome(() => ApiKey.make(candidate))
      const constructed = outcome(() => new ApiKey.ApiKey(candidate))
      expect(made.ok).toBe(constructed.ok)
      if (made.ok && constructed.ok) expect(made.key).toEqual(constructed.key)
      if (!made.ok) expect(made.error).toBe(constructed.ok ? "" : constructed.error)
    }), { numRuns: 300 })
  })
})

/** A plaintext assembled from arbitrary parts, with a correct checksum: only the format checks can refuse it. */
const withChecksum = (body: string): string => body + ApiKey.toBase62(ApiKey.crc32(body), ApiKey.checksumLength)

describe("the API key parser's format checks (each behind a correct checksum)", () => {
  const keyId = "0123456789abcdef"
  const secret = "ABCDEFGHIJKLMNOPQRSTUV"

  it("accepts only the live and test environments", () => {
    expect(Either.isRight(ApiKey.parse(withChecksum(`adk_live_${keyId}_${secret}`)))).toBe(true)
    expect(Either.isRight(ApiKey.parse(withChecksum(`adk_test_${keyId}_${secret}`)))).toBe(true)
    for (const env of ["prod", "LIVE", "tess", "livf", "xxxx"]) {
      expect(ApiKey.parse(withChecksum(`adk_${env}_${keyId}_${secret}`))).toEqual(Either.left("malformed"))
    }
  })

  it("requires the separators after the environment and after the key id", () => {
    expect(ApiKey.parse(withChecksum(`adk_liveX${keyId}_${secret}`))).toEqual(Either.left("malformed"))
    expect(ApiKey.parse(withChecksum(`adk_live_${keyId}X${secret}`))).toEqual(Either.left("malformed"))
  })

  it("accepts only base62 in the key id, the secret and the checksum, at every position", () => {
    for (const bad of ["-", "_", " ", "é", "/", "+"]) {
      for (let i = 0; i < keyId.length; i++) {
        const id = keyId.slice(0, i) + bad + keyId.slice(i + 1)
        expect(ApiKey.parse(withChecksum(`adk_live_${id}_${secret}`))).toEqual(Either.left("malformed"))
      }
      for (let i = 0; i < secret.length; i++) {
        const s = secret.slice(0, i) + bad + secret.slice(i + 1)
        expect(ApiKey.parse(withChecksum(`adk_live_${keyId}_${s}`))).toEqual(Either.left("malformed"))
      }
      const plaintext = ApiKey.format("live", keyId, secret)
      for (let i = plaintext.length - ApiKey.checksumLength; i < plaintext.length; i++) {
        expect(ApiKey.parse(plaintext.slice(0, i) + bad + plaintext.slice(i + 1))).toEqual(Either.left("malformed"))
      }
    }
  })

  it("reads the checksum as base62 digits, most significant first", () => {
    const body = `adk_live_${keyId}_${secret}`
    const crc = ApiKey.crc32(body)
    expect(ApiKey.toBase62(crc, 6)).toHaveLength(6)
    expect(ApiKey.toBase62(61, 2)).toBe("0z")
    expect(ApiKey.toBase62(62, 2)).toBe("10")
    expect(ApiKey.parse(body + ApiKey.toBase62(crc + 1, 6))).toEqual(Either.left("checksum"))
  })
})
