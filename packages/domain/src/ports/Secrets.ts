import { Context, type Effect } from "effect"

/** A stored digest of a secret, with the version of the scheme that made it. */
export interface Digest {
  readonly version: number
  /** Lower-case hex. */
  readonly hex: string
}

/** Randomness for secrets and the keyed digest they are stored as (never the secret itself). */
export class Secrets extends Context.Tag("@aidial/domain/Secrets")<Secrets, {
  /** `length` bytes from a cryptographically secure generator. */
  readonly randomBytes: (length: number) => Effect.Effect<Uint8Array>
  /** The digest of a secret under the current scheme (HMAC-SHA-256 with the server pepper). */
  readonly digest: (secret: string) => Effect.Effect<Digest>
  /** Whether `secret` has the stored digest, compared in constant time under the digest's own version. */
  readonly matches: (secret: string, stored: Digest) => Effect.Effect<boolean>
}>() {}
