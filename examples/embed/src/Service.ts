/** A partner service embedding the core: storage on one Kysely database, Node's crypto, the `/v1` API. */
import { Admission, ApiKeyAuthentication, Authentication, Http, RateLimitPolicy } from "@aidial/adapters-http"
import { ActivityBuffer, InProcessRateLimiter, NodeIdGenerator, NodeSecrets, UsageBuffer } from "@aidial/adapters-node"
import { type KyselyClient, Migrations, SqlStack } from "@aidial/adapters-sql"
import { Clock, type IdGenerator, type Secrets as SecretsPort, type StorageError, Team } from "@aidial/domain"
import type { HttpServer, HttpServerError } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { Duration, Layer, type Redacted } from "effect"
import { createServer } from "node:http"

/** The API-key pepper, and the HS256 key the service's bearer tokens are signed with. */
export interface Secrets {
  readonly pepper: Redacted.Redacted<string>
  readonly tokenKey: Uint8Array
}

/** The one layer that differs between SQLite and PostgreSQL. */
type Database<E> = Layer.Layer<KyselyClient.KyselyClient, E>

/** The domain's ports, ids, the clock and key digests: enough to call the use cases directly. */
export type Core =
  | Layer.Layer.Success<typeof SqlStack.layer>
  | IdGenerator.IdGenerator
  | Clock.Clock
  | SecretsPort.Secrets

/** The core on the migrated `database`. */
export const core = <E>(database: Database<E>, secrets: Secrets): Layer.Layer<Core, E | StorageError.StorageError> =>
  Layer.mergeAll(SqlStack.layer, NodeIdGenerator.layer, Clock.layer, NodeSecrets.layer(secrets))
    .pipe(Layer.provide(Layer.effectDiscard(Migrations.migrate)), Layer.provideMerge(database))

/** Everything `Http.layer` needs: the core, API-key and bearer authentication, rate limits and usage, team settings. */
export const requirements = <E>(database: Database<E>, secrets: Secrets): Layer.Layer<Http.Requirements, E | StorageError.StorageError> =>
  Layer.mergeAll(
    ApiKeyAuthentication.layer,
    Admission.layer.pipe(Layer.provide(UsageBuffer.layer({ intervalMillis: 1000, maxEntries: 1000 }))),
    Authentication.layerJose({ issuer: "embed", audience: "aidial-api", algorithms: ["HS256"], keys: { _tag: "Local", key: secrets.tokenKey } }),
    ActivityBuffer.layer(),
    Layer.succeed(Team.InvitationSettings, { acceptUrl: "https://partner.example/accept", ttl: Duration.days(7) })
  ).pipe(Layer.provideMerge(Layer.mergeAll(core(database, secrets), InProcessRateLimiter.layer, RateLimitPolicy.layer(RateLimitPolicy.defaultPolicy))))

/** The `/v1` API on node:http at 127.0.0.1:`port` (0 for any free port). */
export const serve = <E>(database: Database<E>, secrets: Secrets, port: number): Layer.Layer<HttpServer.HttpServer, E | StorageError.StorageError | HttpServerError.ServeError> =>
  Http.serve().pipe(
    Layer.provide(Http.layer),
    Layer.provideMerge(requirements(database, secrets)),
    Layer.provideMerge(NodeHttpServer.layer(createServer, { port, host: "127.0.0.1" }))
  )
