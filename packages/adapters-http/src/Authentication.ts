/**
 * Who a request acts as. Resolution order (SPEC section 3): when `X-API-Key` is present it alone
 * decides (a bearer token beside it is ignored, even when the key is invalid); otherwise
 * `Authorization: Bearer` decides; otherwise 401. A key in the query string is refused.
 *
 * Bearer tokens are JWTs verified with `jose`; their `sub` names a stored user, and the principal
 * (role, organisation, assignments) comes from storage, never from the token. Platform users
 * (aidial_admin, aidial_operator) select a client explicitly: the `{clientId}` path parameter when
 * the route has one, else the `client_id` query parameter.
 */
import { HttpApiMiddleware, HttpRouter, HttpServerRequest } from "@effect/platform"
import {
  ActivityRecorder,
  type AssignmentRepo,
  BoundedCache,
  Clock,
  Ids,
  type Principal,
  PrincipalRepo,
  Principals,
  type StorageError
} from "@aidial/domain"
import { Context, Effect, Layer, Option, Redacted, Schema } from "effect"
import * as Jose from "jose"
import * as Admission from "./Admission.js"
import * as Failures from "./Failures.js"
import * as Problem from "./Problem.js"

/** The principal the current request acts as, provided by the `Authentication` middleware. */
export class CurrentPrincipal extends Context.Tag("@aidial/adapters-http/CurrentPrincipal")<
  CurrentPrincipal,
  Principal.Principal
>() {}

/** The seam for API-key verification: the API-key feature provides the real implementation. */
export class ApiKeyAuthenticator extends Context.Tag("@aidial/adapters-http/ApiKeyAuthenticator")<ApiKeyAuthenticator, {
  /** Verifies the plaintext from `X-API-Key` and resolves the key's principal; any refusal is one identical 401. */
  readonly authenticate: (
    plaintext: Redacted.Redacted<string>
  ) => Effect.Effect<Principal.Principal, Problem.Unauthenticated | Problem.RateLimited | Problem.Internal>
}>() {}

/** An authenticator that rejects every API key (until API keys exist). */
export const layerNoApiKeys: Layer.Layer<ApiKeyAuthenticator> = Layer.succeed(
  ApiKeyAuthenticator,
  ApiKeyAuthenticator.of({
    authenticate: () => Effect.fail(new Problem.Unauthenticated({ detail: "The API key is not valid." }))
  })
)

/** Verifies bearer tokens. */
export class TokenVerifier extends Context.Tag("@aidial/adapters-http/TokenVerifier")<TokenVerifier, {
  /**
   * Checks signature, algorithm, issuer, audience, `exp`, `nbf`, an `iat` not in the future and the
   * lifetime `exp - iat`, and returns the token's subject (`sub`).
   */
  readonly verify: (token: Redacted.Redacted<string>) => Effect.Effect<string, Problem.Unauthenticated>
}>() {}

/** Where the token-signing keys come from. */
export type JwtKeySource =
  /** The identity provider's JWKS document (production); fetched and cached by `jose`. */
  | { readonly _tag: "Jwks"; readonly url: URL }
  /** A key held locally (development): an HMAC secret or a public key. */
  | { readonly _tag: "Local"; readonly key: Jose.CryptoKey | Jose.KeyObject | Uint8Array }

/** What a bearer token must satisfy. */
export interface JwtOptions {
  readonly issuer: string
  readonly audience: string
  /** The only signing algorithms accepted, e.g. `["RS256", "ES256"]` or `["HS256"]`. */
  readonly algorithms: ReadonlyArray<string>
  readonly keys: JwtKeySource
  /** Allowed clock skew in seconds (default 30), for `exp`, `nbf` and an `iat` ahead of the server's clock. */
  readonly clockToleranceSeconds?: number
  /** The longest lifetime a token may declare, `exp - iat`, in seconds (default 24 hours). */
  readonly maxLifetimeSeconds?: number
}

/** The default longest lifetime of a bearer token, `exp - iat`: 24 hours. */
export const defaultMaxLifetimeSeconds = 24 * 60 * 60

/**
 * Checks the times of a verified token's claims that `jose` leaves open: `iat` is required and not
 * ahead of `now` by more than the tolerance, and `exp - iat` is at most `maxLifetimeSeconds`. (`jose`
 * checks `exp` and `nbf` against the same tolerance.) `null` when they hold, else what is wrong.
 */
export const lifetimeProblem = (
  claims: { readonly iat?: unknown; readonly exp?: unknown },
  nowSeconds: number,
  toleranceSeconds: number,
  maxLifetimeSeconds: number
): string | null => {
  if (typeof claims.iat !== "number" || typeof claims.exp !== "number") return "iat and exp are required"
  if (claims.iat > nowSeconds + toleranceSeconds) return "iat is in the future"
  if (claims.exp - claims.iat > maxLifetimeSeconds) return "the lifetime exp - iat is too long"
  return null
}

const invalidToken = new Problem.Unauthenticated({ detail: "The bearer token is not valid." })
const expiredToken = new Problem.Unauthenticated({ detail: "The bearer token has expired." })

/** How many verified tokens `layerJose` remembers, and for how long at most. */
export const tokenCache = { maxEntries: 10_000, maxAgeMs: 5 * 60 * 1000 } as const

/**
 * A `TokenVerifier` backed by `jose`; a remote JWKS is fetched and cached by `jose`. A verified token is
 * remembered (bounded, until its `exp` and at most `tokenCache.maxAgeMs`) so repeat requests skip the
 * signature check; an expired entry is verified afresh.
 */
export const layerJose = (options: JwtOptions): Layer.Layer<TokenVerifier, never, Clock.Clock> =>
  Layer.effect(
    TokenVerifier,
    Effect.map(Clock.Clock, (clock) => {
      const source = options.keys
      const jwks = source._tag === "Jwks" ? Jose.createRemoteJWKSet(source.url) : null
      const verifyOptions = {
        issuer: options.issuer,
        audience: options.audience,
        algorithms: [...options.algorithms],
        clockTolerance: options.clockToleranceSeconds ?? 30,
        requiredClaims: ["sub", "exp", "iat"]
      }
      const maxLifetime = options.maxLifetimeSeconds ?? defaultMaxLifetimeSeconds
      const verify = (token: string, currentDate: Date) =>
        jwks !== null
          ? Jose.jwtVerify(token, jwks, { ...verifyOptions, currentDate })
          : source._tag === "Local"
          ? Jose.jwtVerify(token, source.key, { ...verifyOptions, currentDate })
          : Promise.reject(new Error("no key source"))
      const verified = BoundedCache.make<string, { readonly subject: string; readonly until: number }>(tokenCache.maxEntries)
      const remember = (token: string, subject: string, exp: number, now: Date) =>
        verified.set(token, { subject, until: Math.min(exp * 1000, now.getTime() + tokenCache.maxAgeMs) })
      return TokenVerifier.of({
        verify: (redacted) =>
          Effect.flatMap(clock.now, (now) => {
            const token = Redacted.value(redacted)
            const hit = verified.get(token)
            if (hit !== undefined) {
              if (hit.until > now.getTime()) return Effect.succeed(hit.subject)
              verified.delete(token)
            }
            return Effect.tryPromise({
              try: () => verify(token, now),
              catch: (error) => error instanceof Jose.errors.JWTExpired ? expiredToken : invalidToken
            }).pipe(
              Effect.flatMap(({ payload }) => {
                if (typeof payload.sub !== "string" || payload.sub.length === 0 || typeof payload.exp !== "number") {
                  return Effect.fail(invalidToken)
                }
                const times = lifetimeProblem(payload, Math.floor(now.getTime() / 1000), verifyOptions.clockTolerance, maxLifetime)
                if (times !== null) return Effect.fail(invalidToken)
                remember(token, payload.sub, payload.exp, now)
                return Effect.succeed(payload.sub)
              })
            )
          })
      })
    })
  )

/**
 * Resolves the request's principal, or fails with a 401 (or 400 for a malformed client selection), then
 * admits it through `Admission` (rate limit: 429; rate-limit headers and usage on the response).
 */
export class Authentication extends HttpApiMiddleware.Tag<Authentication>()("@aidial/adapters-http/Authentication", {
  provides: CurrentPrincipal,
  failure: Failures.generic("Unauthenticated", "BadRequest", "RateLimited", "Internal")
}) {}

/** Query parameters that look like an API key: refused, a key must never travel in a URL. */
export const queryKeyParams: ReadonlyArray<string> = ["api_key", "apiKey", "apikey", "key"]

const noCredentials = new Problem.Unauthenticated({
  detail: "Authenticate with an X-API-Key header or an Authorization: Bearer token."
})
const keyInQuery = new Problem.Unauthenticated({
  detail: "API keys are accepted only in the X-API-Key header, never in the URL."
})
const unknownUser = new Problem.Unauthenticated({ detail: "The bearer token does not name a known user." })
const badSelection = new Problem.BadRequest({ detail: "client_id: must be a single client id." })

const isClientId = Schema.is(Ids.ClientId)

const bearerToken = (authorization: string): string | null => {
  const space = authorization.indexOf(" ")
  if (space < 0 || authorization.slice(0, space).toLowerCase() !== "bearer") return null
  const token = authorization.slice(space + 1).trim()
  return token.length > 0 ? token : null
}

/**
 * The `Authentication` middleware over the API-key seam, the token verifier, admission, and the member a token's
 * subject names (`PrincipalRepo`: the user, membership and organisation in one read) with a partner_user's
 * assignments.
 */
export const layer: Layer.Layer<
  Authentication,
  never,
  | ApiKeyAuthenticator
  | TokenVerifier
  | Admission.Admission
  | ActivityRecorder.ActivityRecorder
  | PrincipalRepo.PrincipalRepo
  | AssignmentRepo.AssignmentRepo
> = Layer.effect(
  Authentication,
  Effect.gen(function*() {
    const keys = yield* ApiKeyAuthenticator
    const tokens = yield* TokenVerifier
    const admission = yield* Admission.Admission
    const members = yield* PrincipalRepo.PrincipalRepo
    const activity = yield* ActivityRecorder.ActivityRecorder
    // Built once over the assignments, so a request pays for its reads and nothing to provide them.
    const principalOf = yield* Principals.makeFromMember
    const storageFailure = (error: StorageError.StorageError) =>
      Effect.zipRight(Effect.logError("storage failure during authentication", error), Effect.fail(Problem.internalError))
    type Failure = Problem.Unauthenticated | Problem.BadRequest | Problem.RateLimited | Problem.Internal
    // The member a token's subject names is noted as active; then the client selection is checked and the
    // principal built (role and scope from storage). A storage failure anywhere in it is one 500.
    const bearer = (
      token: string,
      route: HttpRouter.RouteContext,
      fromQuery: string | ReadonlyArray<string> | undefined
    ): Effect.Effect<Principal.Principal, Failure> =>
      Effect.flatMap(tokens.verify(Redacted.make(token)), (subject) =>
        Effect.flatMap(
          members.findBySubject(subject),
          (member): Effect.Effect<Principal.Principal, Failure | StorageError.StorageError> => {
            if (Option.isNone(member)) return unknownUser
            const malformed = fromQuery !== undefined && (typeof fromQuery !== "string" || !isClientId(fromQuery))
            const fromPath = route.params["clientId"]
            const selected = fromPath !== undefined ? fromPath : fromQuery
            const principal: Effect.Effect<Principal.Principal, Failure | StorageError.StorageError> = malformed
              ? badSelection
              : principalOf(member.value, typeof selected === "string" && isClientId(selected) ? selected : null)
            return Effect.zipRight(activity.record(member.value.user.id), principal)
          }
        )).pipe(Effect.catchTag("StorageError", storageFailure))
    // The request's parts are read from the fiber once; the checks that need no port come first.
    const resolve = Effect.withFiberRuntime<Principal.Principal, Failure>((fiber) => {
      const context = fiber.currentContext
      const request = Context.unsafeGet(context, HttpServerRequest.HttpServerRequest)
      const search = Context.unsafeGet(context, HttpServerRequest.ParsedSearchParams)
      for (const name of queryKeyParams) {
        if (search[name] !== undefined) return keyInQuery
      }
      const apiKey = request.headers["x-api-key"]
      if (apiKey !== undefined) return keys.authenticate(Redacted.make(apiKey))
      const authorization = request.headers["authorization"]
      if (authorization === undefined) return noCredentials
      const token = bearerToken(authorization)
      if (token === null) return noCredentials
      return bearer(token, Context.unsafeGet(context, HttpRouter.RouteContext), search["client_id"])
    })
    return Effect.tap(resolve, admission.admit)
  })
)
