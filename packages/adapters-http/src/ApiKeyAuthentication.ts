/**
 * The real `ApiKeyAuthenticator`: `ApiKeys.makeVerifier` built once when the layer is built, so a
 * request costs a format and checksum check, one digest, one indexed read and a few comparisons.
 * A malformed, unknown, revoked, rotated or expired key, or a key of an archived client, is the same
 * 401 (same body, same headers apart from `X-Request-Id`); why is recorded in the audit log only. Past the
 * failure limits of `VerificationFailures` a failure is 429 with `Retry-After`; a key that verifies never is.
 */
import {
  type ApiKeyRepo,
  ApiKeys,
  type AuditLog,
  type ClientRepo,
  type Clock,
  type IdGenerator,
  type Secrets
} from "@aidial/domain"
import { Effect, Layer } from "effect"
import { ApiKeyAuthenticator } from "./Authentication.js"
import * as Problem from "./Problem.js"
import * as RequestContext from "./RequestContext.js"

/** The one answer to every API key that does not authenticate. */
export const invalidKey = new Problem.Unauthenticated({ detail: "The API key is not valid." })

/** The answer once failed verifications of a key id or its client are past their limit (nothing is audited then). */
export const throttled = (retryAfterSeconds: number) =>
  new Problem.RateLimited({
    detail: "Too many failed verifications of this API key; retry after the time in Retry-After.",
    retryAfterSeconds
  })

/** The authenticator over the API-key store, the clients, the pepper, the clock, the audit log and ids. */
export const layer: Layer.Layer<
  ApiKeyAuthenticator,
  never,
  ApiKeyRepo.ApiKeyRepo | ClientRepo.ClientRepo | Secrets.Secrets | Clock.Clock | AuditLog.AuditLog | IdGenerator.IdGenerator
> = Layer.effect(
  ApiKeyAuthenticator,
  Effect.map(ApiKeys.makeVerifier, (verify) =>
    ApiKeyAuthenticator.of({
      // The request whose id a refusal's audit event carries is the one the verifying fiber serves.
      authenticate: (plaintext) =>
        verify(plaintext, RequestContext.currentRequest).pipe(
          Effect.catchTags({
            InvalidApiKey: (error) =>
              error.throttledForSeconds === undefined
                ? Effect.fail(invalidKey)
                : Effect.fail(throttled(error.throttledForSeconds)),
            StorageError: (error) =>
              Effect.zipRight(Effect.logError("storage failure during API-key verification", error), Effect.fail(Problem.internalError))
          })
        )
    }))
)
