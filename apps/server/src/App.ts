/**
 * The reference server without its socket: storage, the API-key authenticator, admission (rate limits and
 * usage), the bearer-token verifier, the partner team's outbox printer and the demo keys, as one layer for
 * `Http.layer`. `main.ts` serves it on node:http; tests call it through `Http.toWebHandler`.
 */
import { Admission, ApiKeyAuthentication, Authentication, type Http, RateLimitPolicy, RequestBody } from "@aidial/adapters-http"
import { InProcessRateLimiter, NodeIdGenerator, NodeSecrets, UsageBuffer } from "@aidial/adapters-node"
import { Clock, type StorageError } from "@aidial/domain"
import { HttpServer } from "@effect/platform"
import { Effect, Layer, Option, Redacted } from "effect"
import { randomBytes } from "node:crypto"
import * as Config from "./Config.js"
import * as DemoKeys from "./DemoKeys.js"
import * as PartnerTeam from "./PartnerTeam.js"
import * as Storage from "./Storage.js"

/**
 * The HS256 key development tokens are signed and verified with: `AIDIAL_DEV_JWT_SECRET`, or 32 random bytes
 * for this process only; `null` when tokens come from a JWKS.
 */
export const devKeyOf = (config: Config.ServerConfig): Uint8Array | null =>
  config.jwt.tokens._tag === "Development"
    ? Option.match(config.jwt.tokens.secret, {
      onNone: () => new Uint8Array(randomBytes(32)),
      onSome: (secret) => new TextEncoder().encode(Redacted.value(secret))
    })
    : null

/** The port a server listens on: the one it is bound to (with `PORT=0`, the one the system picked), else `fallback`. */
export const boundPort = (server: HttpServer.HttpServer, fallback: number): number =>
  server.address._tag === "TcpAddress" ? server.address.port : fallback

/**
 * Everything `Http.layer` needs, plus `DemoKeys` and the clock, from the configuration and the development key;
 * invitation links point at `AIDIAL_INVITE_ACCEPT_URL`, else at this server's development page on `port`.
 */
export const layer = (
  config: Config.ServerConfig,
  devKey: Uint8Array | null,
  port: number = config.port
): Layer.Layer<Http.Requirements | DemoKeys.DemoKeys | RequestBody.BodyLimits, StorageError.StorageError> => {
  const verifier = Authentication.layerJose({
    issuer: config.jwt.issuer,
    audience: config.audience,
    maxLifetimeSeconds: config.jwtMaxLifetimeSeconds,
    algorithms: config.jwt.tokens._tag === "Jwks" ? config.jwt.tokens.algorithms : ["HS256"],
    keys: config.jwt.tokens._tag === "Jwks"
      ? { _tag: "Jwks", url: config.jwt.tokens.url }
      : { _tag: "Local", key: devKey ?? new Uint8Array(32) }
  })
  const base = Layer.mergeAll(
    Storage.layer(config.database),
    NodeIdGenerator.layer,
    Clock.layer,
    NodeSecrets.layer({ pepper: Option.getOrElse(config.keyPepper, () => Redacted.make(Config.devPepper)) }),
    InProcessRateLimiter.layer,
    RateLimitPolicy.layer(config.rateLimit)
  )
  // The usage buffer's scope is the layer's: closing it (shutdown) writes what is left.
  const usage = UsageBuffer.layer({ intervalMillis: config.usageFlushMs, maxEntries: 1000 })
  return Layer.mergeAll(
    ApiKeyAuthentication.layer,
    Admission.layer.pipe(Layer.provide(usage)),
    verifier,
    PartnerTeam.layer({
      acceptUrl: Option.match(config.inviteAcceptUrl, {
        onNone: () => PartnerTeam.defaultAcceptUrl(port),
        onSome: (url) => url.href
      })
    }),
    DemoKeys.layer,
    RequestBody.layerLimits({ maxBytes: config.maxBodyBytes, routes: {} })
  ).pipe(Layer.provideMerge(base))
}

/** `layer` for the server `HttpServer` is: invitation links name the port it is bound to, not `PORT` (which may be 0). */
export const layerListening = (
  config: Config.ServerConfig,
  devKey: Uint8Array | null
): Layer.Layer<Http.Requirements | DemoKeys.DemoKeys | RequestBody.BodyLimits, StorageError.StorageError, HttpServer.HttpServer> =>
  Layer.unwrapEffect(Effect.map(HttpServer.HttpServer, (server) => layer(config, devKey, boundPort(server, config.port))))
