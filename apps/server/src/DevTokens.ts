/** Development bearer tokens: HS256 JWTs for the demo users, signed with the development secret. */
import { type StorageError, UserRepo } from "@aidial/domain"
import { Effect, Option } from "effect"
import * as Jose from "jose"
import * as Seed from "./Seed.js"

/** How long a printed development token stays valid. */
export const lifetimeSeconds = 24 * 60 * 60

/** One signed token for a demo user. */
export interface DevToken {
  readonly user: Seed.DemoUser
  /** A shell variable name such as `TOKEN_ACME_ADMIN`. */
  readonly variable: string
  readonly token: string
}

/** Signs a token for `subject` that the server's development verifier accepts. */
export const sign = (options: {
  readonly key: Uint8Array
  readonly issuer: string
  readonly audience: string
  readonly subject: string
  readonly now: Date
}): Effect.Effect<string> => {
  const iat = Math.floor(options.now.getTime() / 1000)
  return Effect.promise(() =>
    new Jose.SignJWT({})
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setIssuer(options.issuer)
      .setAudience(options.audience)
      .setSubject(options.subject)
      .setIssuedAt(iat)
      .setExpirationTime(iat + lifetimeSeconds)
      .sign(options.key)
  )
}

/** Tokens for every demo user present in storage. */
export const forDemoUsers = (options: {
  readonly key: Uint8Array
  readonly issuer: string
  readonly audience: string
  readonly now: Date
}): Effect.Effect<ReadonlyArray<DevToken>, StorageError.StorageError, UserRepo.UserRepo> =>
  Effect.gen(function*() {
    const users = yield* UserRepo.UserRepo
    const out: Array<DevToken> = []
    for (const user of Seed.users) {
      if (Option.isNone(yield* users.findBySubject(user.subject))) continue
      const token = yield* sign({ ...options, subject: user.subject })
      out.push({ user, variable: `TOKEN_${user.id.slice("usr_".length).toUpperCase()}`, token })
    }
    return out
  })
