/**
 * API keys: the plaintext format, the stored metadata, and the pure lifecycle rules.
 *
 * Format (54 characters, every part base62 `[0-9A-Za-z]` of fixed length):
 *
 *     adk_<env>_<keyid>_<secret><checksum>
 *     adk_live_XXXXXXXXXXXXXXXX_SSSSSSSSSSSSSSSSSSSSSSCCCCCC   (X key id, S secret, C checksum)
 *
 * - `adk_`: fixed prefix, so secret scanners match `\badk_(?:live|test)_[0-9A-Za-z]{16}_[0-9A-Za-z]{28}\b`.
 * - `<env>`: `live` or `test`, the key's data environment, visible to whoever handles the key.
 * - `<keyid>`: 16 characters from the CSPRNG (about 95 bits); public, the stored id is `key_<keyid>`, so
 *   verification is one primary-key read.
 * - `<secret>`: 22 characters from the CSPRNG, unbiased by rejection sampling: 22 x log2(62) = 131 bits.
 * - `<checksum>`: CRC-32 of the 48 characters before it, as 6 base62 digits (62^6 > 2^32).
 *
 * Why: fixed lengths make parsing a few slices and a table lookup with no storage read, and CRC-32
 * detects every single-character change, so typos and naive forgeries are rejected for free.
 * At rest only the HMAC-SHA-256 digest of the whole plaintext (with a server pepper, versioned) is kept.
 */
import { Either, Option, Redacted, Schema } from "effect"
import { Actor } from "./Audit.js"
import { ApiKeyId, ClientId } from "./Ids.js"
import { ClientStatus, DataEnvironment, DisplayName } from "./Tenancy.js"
import * as Text from "./Text.js"

// ---------------------------------------------------------------------------------------------
// Base62 and CRC-32, in plain TypeScript

/** The base62 digits, in value order. */
export const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

/** Character code -> digit value, or -1 for a character outside the alphabet. */
const digitOf: Int8Array = (() => {
  const table = new Int8Array(128).fill(-1)
  for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = i
  return table
})()

const crcTable: Uint32Array = (() => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
})()

/** CRC-32 (IEEE 802.3) of the string's UTF-16 code units; the key alphabet is ASCII, so these are its bytes. */
export const crc32 = (text: string, end: number = text.length): number => {
  let crc = 0xffffffff
  for (let i = 0; i < end; i++) crc = (crcTable[(crc ^ text.charCodeAt(i)) & 0xff] ?? 0) ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

/** `value` as exactly `width` base62 digits, most significant first. */
export const toBase62 = (value: number, width: number): string => {
  let out = ""
  let rest = value
  for (let i = 0; i < width; i++) {
    out = alphabet.charAt(rest % 62) + out
    rest = Math.floor(rest / 62)
  }
  return out
}

/** The value of the base62 digits `text[start, end)`, or -1 if any character is not a digit. */
const fromBase62 = (text: string, start: number, end: number): number => {
  let value = 0
  for (let i = start; i < end; i++) {
    const d = digitOf[text.charCodeAt(i)] ?? -1
    if (d < 0) return -1
    value = value * 62 + d
  }
  return value
}

const allBase62 = (text: string, start: number, end: number): boolean => {
  for (let i = start; i < end; i++) if ((digitOf[text.charCodeAt(i)] ?? -1) < 0) return false
  return true
}

/**
 * Maps random bytes to base62 digits without bias: a byte below 248 (= 4 x 62) gives `byte % 62`,
 * any other byte is skipped. Returns fewer than `length` digits when the bytes run out.
 */
export const base62FromBytes = (bytes: Uint8Array, length: number): string => {
  let out = ""
  for (let i = 0; i < bytes.length && out.length < length; i++) {
    const b = bytes[i] ?? 255
    if (b < 248) out += alphabet.charAt(b % 62)
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// The format

export const tokenPrefix = "adk_"
export const keyIdLength = 16
export const secretLength = 22
export const checksumLength = 6
/** `adk_` + env (4) + `_` + keyid + `_` + secret + checksum. */
export const tokenLength = 4 + 4 + 1 + keyIdLength + 1 + secretLength + checksumLength
/** Bits of CSPRNG entropy in the secret part alone. */
export const secretBits = secretLength * Math.log2(62)
/** Random base62 digits a new key consumes: the key id then the secret. */
export const randomDigits = keyIdLength + secretLength

/** The pattern a secret scanner matches; anchored on word boundaries so it finds keys inside text. */
export const scannerPattern = /\badk_(?:live|test)_[0-9A-Za-z]{16}_[0-9A-Za-z]{28}\b/g

const keyIdStart = 9
const secretStart = keyIdStart + keyIdLength + 1
const checksumStart = secretStart + secretLength

/** The stored id of the key whose plaintext carries this key id. */
export const idOf = (keyId: string): ApiKeyId => ApiKeyId.make(`key_${keyId}`)

/** What a well-formed plaintext says about itself; none of it is secret. */
export interface Parsed {
  readonly id: ApiKeyId
  readonly environment: DataEnvironment
  /** `adk_<env>_<keyid>`: the part shown in the inventory. */
  readonly prefix: string
}

/** Why a presented key was refused; recorded in the audit event, never told to the caller. */
export type Rejection =
  | "malformed"
  | "checksum"
  | "unknown"
  | "mismatch"
  | "revoked"
  | "rotated"
  | "expired"
  | "client_archived"

/** Checks format and checksum with no storage read: `Left("malformed" | "checksum")` on failure. */
export const parse = (token: string): Either.Either<Parsed, "malformed" | "checksum"> => {
  if (token.length !== tokenLength || !token.startsWith(tokenPrefix)) return Either.left("malformed")
  const env = token.slice(4, 8)
  if ((env !== "live" && env !== "test") || token.charCodeAt(8) !== 95 || token.charCodeAt(secretStart - 1) !== 95) {
    return Either.left("malformed")
  }
  if (!allBase62(token, keyIdStart, secretStart - 1) || !allBase62(token, secretStart, checksumStart)) {
    return Either.left("malformed")
  }
  const checksum = fromBase62(token, checksumStart, tokenLength)
  if (checksum < 0) return Either.left("malformed")
  if (checksum !== crc32(token, checksumStart)) return Either.left("checksum")
  const keyId = token.slice(keyIdStart, secretStart - 1)
  return Either.right({
    id: ApiKeyId.make(`key_${keyId}`, { disableValidation: true }),
    environment: env,
    prefix: token.slice(0, secretStart - 1)
  })
}

/** Assembles a plaintext from its parts (each already base62 of the right length) and appends the checksum. */
export const format = (environment: DataEnvironment, keyId: string, secret: string): string => {
  const body = `${tokenPrefix}${environment}_${keyId}_${secret}`
  return body + toBase62(crc32(body), checksumLength)
}

/** `adk_<env>_<keyid>`, the recognisable, non-secret start of a key. */
export const prefixOf = (environment: DataEnvironment, keyId: string): string => `${tokenPrefix}${environment}_${keyId}`

/** A freshly minted key: the plaintext exists here and in the create or rotate result, nowhere else. */
export interface Minted {
  readonly id: ApiKeyId
  readonly prefix: string
  readonly plaintext: Redacted.Redacted<string>
}

/** Builds a key from `randomDigits` base62 digits drawn from a CSPRNG. */
export const mint = (environment: DataEnvironment, digits: string): Minted => {
  const keyId = digits.slice(0, keyIdLength)
  return {
    id: idOf(keyId),
    prefix: prefixOf(environment, keyId),
    plaintext: Redacted.make(format(environment, keyId, digits.slice(keyIdLength, randomDigits)))
  }
}

// ---------------------------------------------------------------------------------------------
// Stored metadata and states

/** `read` acts as partner_user, `manage` as partner_admin (minus the bearer-only families). */
export const Scope = Schema.Literal("read", "manage")
export type Scope = typeof Scope.Type

/** The stored state. `rotated` and `revoked` are final; expiry is not a state but a comparison with the clock. */
export const Status = Schema.Literal("active", "rotated", "revoked")
export type Status = typeof Status.Type

/** The state shown in the inventory: the stored state, with `expired` for an active key past its expiry. */
export const EffectiveStatus = Schema.Literal("active", "expired", "rotated", "revoked")
export type EffectiveStatus = typeof EffectiveStatus.Type

export const Description = Text.Paragraph.pipe(Schema.maxLength(1000))
export const RevokeReason = Text.TrimmedLine.pipe(Schema.minLength(1), Schema.maxLength(500))

/** A key's metadata as stored: never the digest, never the plaintext. */
export class ApiKey extends Schema.Class<ApiKey>("ApiKey")({
  id: ApiKeyId,
  clientId: ClientId,
  name: DisplayName,
  description: Description,
  scope: Scope,
  environment: DataEnvironment,
  /** `adk_<env>_<keyid>`, for recognition. */
  prefix: Schema.String,
  status: Status,
  createdAt: Schema.DateFromSelf,
  createdBy: Actor,
  /** `null`: never expires. */
  expiresAt: Schema.NullOr(Schema.DateFromSelf),
  rotatedFrom: Schema.NullOr(ApiKeyId),
  rotatedTo: Schema.NullOr(ApiKeyId),
  /** When the key left `active` (rotated or revoked). */
  disabledAt: Schema.NullOr(Schema.DateFromSelf),
  revokeReason: Schema.NullOr(Schema.String)
}) {}

/** Checks an `ApiKey`'s fields exactly as its constructor does, with the checker compiled once. */
const validFields = Schema.validateSync(Schema.Struct(ApiKey.fields))

/**
 * `new ApiKey(fields)`, validated the same way at a twentieth of the cost: the class constructor derives its
 * schema's type side, and so compiles a new validator, on every call when a field is a transformation (the
 * name trims), about 250 µs a key; this validates with one compiled when the module loads. Throws the same
 * `ParseError` on invalid fields.
 */
export const make = (fields: ConstructorParameters<typeof ApiKey>[0]): ApiKey =>
  new ApiKey(validFields(fields), { disableValidation: true })

/** What the inventory shows for a key: its metadata, its state at the time asked, and its last use. */
export class Metadata extends ApiKey.extend<Metadata>("ApiKeyMetadata")({
  state: EffectiveStatus,
  lastUsedAt: Schema.NullOr(Schema.DateFromSelf)
}) {}

/** Whether the key is past its expiry at `now` (an expiry instant is already too late). */
export const isExpired = (key: { readonly expiresAt: Date | null }, now: Date): boolean =>
  key.expiresAt !== null && now.getTime() >= key.expiresAt.getTime()

export const effectiveStatus = (
  key: { readonly status: Status; readonly expiresAt: Date | null },
  now: Date
): EffectiveStatus => (key.status === "active" && isExpired(key, now) ? "expired" : key.status)

/** Only an active, unexpired key can be rotated (an expired key is replaced by creating a new one). */
export const canRotate = (key: { readonly status: Status; readonly expiresAt: Date | null }, now: Date): boolean =>
  effectiveStatus(key, now) === "active"

/** Only a stored-active key can be revoked (expired ones included); `rotated` and `revoked` are final. */
export const canRevoke = (key: { readonly status: Status }): boolean => key.status === "active"

/** Why a stored key does not authenticate at `now`, if it does not. */
export const rejection = (
  key: { readonly status: Status; readonly expiresAt: Date | null },
  now: Date,
  clientStatus: ClientStatus
): Option.Option<Rejection> => {
  if (key.status !== "active") return Option.some(key.status)
  if (isExpired(key, now)) return Option.some("expired")
  if (clientStatus !== "active") return Option.some("client_archived")
  return Option.none()
}

/** An active, unexpired key of an active client authenticates; nothing else does. */
export const isUsable = (
  key: { readonly status: Status; readonly expiresAt: Date | null },
  now: Date,
  clientStatus: ClientStatus
): boolean => Option.isNone(rejection(key, now, clientStatus))

/** The source after a successful rotation. */
export const markRotated = (key: ApiKey, replacement: ApiKeyId, at: Date): ApiKey =>
  new ApiKey({ ...key, status: "rotated", rotatedTo: replacement, disabledAt: at }, { disableValidation: true })

/** The key after a successful revocation. */
export const markRevoked = (key: ApiKey, reason: string, at: Date): ApiKey =>
  new ApiKey({ ...key, status: "revoked", revokeReason: reason, disabledAt: at }, { disableValidation: true })

// ---------------------------------------------------------------------------------------------
// Expiry requests

/** How long a new key lives: never, one of the offered periods, or until an instant. */
export const Expiry = Schema.Union(
  Schema.TaggedStruct("Never", {}),
  Schema.TaggedStruct("InDays", { days: Schema.Literal(30, 90, 180) }),
  Schema.TaggedStruct("At", { at: Schema.DateFromSelf })
)
export type Expiry = typeof Expiry.Type

const day = 24 * 60 * 60 * 1000

/** The expiry instant a request asks for, `null` for never; an instant not after `now` is refused. */
export const resolveExpiry = (expiry: Expiry, now: Date): Either.Either<Date | null, InvalidExpiry> => {
  switch (expiry._tag) {
    case "Never":
      return Either.right(null)
    case "InDays":
      return Either.right(new Date(now.getTime() + expiry.days * day))
    case "At":
      return expiry.at.getTime() > now.getTime()
        ? Either.right(expiry.at)
        : Either.left(new InvalidExpiry({ message: "the expiry must be in the future" }))
  }
}

// ---------------------------------------------------------------------------------------------
// Errors

/**
 * The presented key does not authenticate; the reason is in the audit trail only. `throttledForSeconds`
 * is set when failures of this key id or its client are past their limit (see `VerificationFailures`).
 */
export class InvalidApiKey extends Schema.TaggedError<InvalidApiKey>()("InvalidApiKey", {
  throttledForSeconds: Schema.optional(Schema.Int)
}) {}

/** The key is not in a state that allows the change (rotating or revoking a key that is not active). */
export class ApiKeyConflict extends Schema.TaggedError<ApiKeyConflict>()("ApiKeyConflict", {
  keyId: ApiKeyId,
  status: Schema.String
}) {}

/**
 * A usage range that cannot be answered: `from` not before `to` (`maxDays` null), or longer than the
 * `maxDays` its bucket allows.
 */
export class InvalidUsageRange extends Schema.TaggedError<InvalidUsageRange>()("InvalidUsageRange", {
  bucket: Schema.Literal("minute", "hour", "day"),
  maxDays: Schema.NullOr(Schema.Number)
}) {}

/** The requested expiry cannot be used. */
export class InvalidExpiry extends Schema.TaggedError<InvalidExpiry>()("InvalidExpiry", {
  message: Schema.String
}) {}
