import { Secrets } from "@aidial/domain"
import { Effect, Layer, Redacted } from "effect"
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto"

/** Digest scheme 1: HMAC-SHA-256 keyed with the server pepper. */
export const currentVersion = 1

export interface Options {
  /** The server-side pepper; losing it makes every stored digest unverifiable. */
  readonly pepper: Redacted.Redacted<string>
  /** Older peppers by scheme version, kept so that digests made under them still verify. */
  readonly previous?: ReadonlyMap<number, Redacted.Redacted<string>>
}

/** The digest as bytes, for comparing against a stored one without a hex round trip. */
const makeRawDigester = (pepper: Redacted.Redacted<string>) => {
  const key = Buffer.from(Redacted.value(pepper), "utf8")
  return (secret: string): Buffer => createHmac("sha256", key).update(secret, "utf8").digest()
}

/** Computes the digest synchronously, as stored (hex). */
export const makeDigester = (pepper: Redacted.Redacted<string>) => {
  const raw = makeRawDigester(pepper)
  return (secret: string): string => raw(secret).toString("hex")
}

/** `Secrets` on `node:crypto`: CSPRNG bytes and HMAC-SHA-256 digests compared with `timingSafeEqual`. */
export const layer = (options: Options): Layer.Layer<Secrets.Secrets> => {
  const digesters = new Map<number, (secret: string) => Buffer>([[currentVersion, makeRawDigester(options.pepper)]])
  for (const [version, pepper] of options.previous ?? []) digesters.set(version, makeRawDigester(pepper))
  const current = makeDigester(options.pepper)
  return Layer.succeed(
    Secrets.Secrets,
    Secrets.Secrets.of({
      randomBytes: (length) => Effect.sync(() => new Uint8Array(randomBytes(length))),
      digest: (secret) => Effect.sync(() => ({ version: currentVersion, hex: current(secret) })),
      matches: (secret, stored) =>
        Effect.sync(() => {
          const digester = digesters.get(stored.version)
          if (digester === undefined) return false
          const actual = digester(secret)
          const expected = Buffer.from(stored.hex, "hex")
          return actual.length === expected.length && timingSafeEqual(actual, expected)
        })
    })
  )
}
