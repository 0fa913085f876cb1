/**
 * The reference server's configuration, read from environment variables:
 *
 *   PORT                   TCP port to listen on (default 8787; 0 picks a free port).
 *   HOST                   Interface to bind (default 127.0.0.1; use 0.0.0.0 to listen on all).
 *   AIDIAL_DATABASE_URL    Storage: `sqlite:<path>` (default `sqlite:./aidial.db`), `sqlite::memory:`
 *                          (a private in-memory database, gone on exit), or `postgres://user:pass@host/db`
 *                          (also `postgresql://`). Migrations run on start; an empty database gets the demo world.
 *   AIDIAL_JWT_ISSUER      Required `iss` of bearer tokens (default `aidial-dev` in development mode).
 *   AIDIAL_JWT_AUDIENCE    Required `aud` of bearer tokens (default `aidial-api`).
 *   AIDIAL_JWKS_URL        Production: the identity provider's JWKS URL; tokens are verified against it
 *                          (keys cached by jose) and AIDIAL_JWT_ISSUER must be set.
 *   AIDIAL_JWT_ALGORITHMS  Comma-separated algorithm allow-list for JWKS mode (default `RS256,ES256`).
 *   AIDIAL_DEV_JWT_SECRET  Development mode (no JWKS URL): the HS256 secret, at least 32 characters. When unset
 *                          a random secret is generated on each start, so printed tokens last one run only.
 *   AIDIAL_INVITE_ACCEPT_URL
 *                          The portal page invitation links point to; the code is appended as `?code=`
 *                          (default `http://127.0.0.1:<port>/accept`, on the port listened on, also for PORT=0).
 *   AIDIAL_KEY_PEPPER      Server pepper for API-key digests (HMAC-SHA-256); defaults to a development value,
 *                          with a warning. Changing it invalidates every stored key.
 *   AIDIAL_RATE_LIMIT      Requests per principal (API key or user) per window: `<requests>/<seconds>`
 *                          (default 600/60).
 *   AIDIAL_RATE_LIMIT_OVERRIDES
 *                          Per-principal limits: `key_abc=5/60,usr_x=1000/60` (default none).
 *   AIDIAL_USAGE_FLUSH_MS  How often buffered API-key usage is written (default 1000); a crash loses at most
 *                          this much usage. Shutdown writes what is left.
 *   AIDIAL_JWT_MAX_LIFETIME
 *                          The longest lifetime (`exp - iat`, seconds) a bearer token may declare (default 86400).
 *   AIDIAL_MAX_BODY_BYTES  The largest request body a route reads (default 1048576, 1 MiB); larger is 413.
 */
import { Authentication, RateLimitPolicy, RequestBody } from "@aidial/adapters-http"
import { Config, ConfigError, Either, Option, Redacted } from "effect"

/** Where the data lives. */
export type Database =
  | { readonly _tag: "Sqlite"; readonly filename: string }
  | { readonly _tag: "Postgres"; readonly connectionString: Redacted.Redacted<string> }

/** How bearer tokens are verified. */
export type Tokens =
  | { readonly _tag: "Jwks"; readonly url: URL; readonly algorithms: ReadonlyArray<string> }
  | { readonly _tag: "Development"; readonly secret: Option.Option<Redacted.Redacted<string>> }

/** Parses `AIDIAL_DATABASE_URL`. */
export const parseDatabaseUrl = (url: string): Either.Either<Database, string> => {
  if (url.startsWith("sqlite:")) {
    const filename = url.slice("sqlite:".length)
    return filename.length === 0 ? Either.left("sqlite: needs a path or :memory:") : Either.right({ _tag: "Sqlite", filename })
  }
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
    return Either.right({ _tag: "Postgres", connectionString: Redacted.make(url) })
  }
  return Either.left("expected sqlite:<path>, sqlite::memory: or postgres://...")
}

/** The development pepper used when `AIDIAL_KEY_PEPPER` is unset. */
export const devPepper = "aidial-development-pepper-do-not-use-in-production"

const database = Config.string("AIDIAL_DATABASE_URL").pipe(
  Config.withDefault("sqlite:./aidial.db"),
  Config.mapOrFail((url) =>
    Either.mapLeft(parseDatabaseUrl(url), (message) => ConfigError.InvalidData(["AIDIAL_DATABASE_URL"], message))
  )
)

/** A validation whose error names the variable (`Config.validate` after `Config.redacted` reports an empty path). */
const check = <A>(name: string, message: string, valid: (a: A) => boolean) => (config: Config.Config<A>) =>
  Config.mapOrFail(config, (a) => valid(a) ? Either.right(a) : Either.left(ConfigError.InvalidData([name], message)))

const devSecret = Config.redacted("AIDIAL_DEV_JWT_SECRET").pipe(
  check("AIDIAL_DEV_JWT_SECRET", "must be at least 32 characters", (s) => Redacted.value(s).length >= 32),
  Config.option
)

const tokens: Config.Config<{ readonly tokens: Tokens; readonly issuer: string }> = Config.all({
  jwks: Config.option(Config.url("AIDIAL_JWKS_URL")),
  issuer: Config.option(Config.string("AIDIAL_JWT_ISSUER")),
  algorithms: Config.array(Config.string(), "AIDIAL_JWT_ALGORITHMS").pipe(Config.withDefault(["RS256", "ES256"])),
  devSecret
}).pipe(
  Config.mapOrFail(({ algorithms, devSecret, issuer, jwks }): Either.Either<
    { readonly tokens: Tokens; readonly issuer: string },
    ConfigError.ConfigError
  > =>
    Option.match(jwks, {
      onNone: () =>
        Either.right({ tokens: { _tag: "Development", secret: devSecret }, issuer: Option.getOrElse(issuer, () => "aidial-dev") }),
      onSome: (url) =>
        Option.match(issuer, {
          onNone: () => Either.left(ConfigError.MissingData(["AIDIAL_JWT_ISSUER"], "required with AIDIAL_JWKS_URL")),
          onSome: (iss) => Either.right({ tokens: { _tag: "Jwks", url, algorithms }, issuer: iss })
        })
    })
  )
)

const rateLimit: Config.Config<RateLimitPolicy.Policy> = Config.all({
  limit: Config.string("AIDIAL_RATE_LIMIT").pipe(Config.withDefault("600/60")),
  overrides: Config.string("AIDIAL_RATE_LIMIT_OVERRIDES").pipe(Config.withDefault(""))
}).pipe(
  Config.mapOrFail(({ limit, overrides }) =>
    Either.all({
      default: Either.mapLeft(RateLimitPolicy.parseLimit(limit), (m) => ConfigError.InvalidData(["AIDIAL_RATE_LIMIT"], m)),
      overrides: Either.mapLeft(
        RateLimitPolicy.parseOverrides(overrides),
        (m) => ConfigError.InvalidData(["AIDIAL_RATE_LIMIT_OVERRIDES"], m)
      )
    })
  )
)

/** Everything the server reads from the environment. */
export const config = Config.all({
  port: Config.integer("PORT").pipe(
    Config.validate({ message: "must be a TCP port from 0 (any free port) to 65535", validation: (p) => p >= 0 && p <= 65_535 }),
    Config.withDefault(8787)
  ),
  host: Config.string("HOST").pipe(Config.withDefault("127.0.0.1")),
  database,
  jwt: tokens,
  audience: Config.string("AIDIAL_JWT_AUDIENCE").pipe(Config.withDefault("aidial-api")),
  inviteAcceptUrl: Config.option(Config.url("AIDIAL_INVITE_ACCEPT_URL")),
  keyPepper: Config.option(Config.redacted("AIDIAL_KEY_PEPPER")),
  rateLimit,
  usageFlushMs: Config.integer("AIDIAL_USAGE_FLUSH_MS").pipe(
    Config.withDefault(1000),
    Config.validate({ message: "must be between 10 and 60000", validation: (ms) => ms >= 10 && ms <= 60_000 })
  ),
  jwtMaxLifetimeSeconds: Config.integer("AIDIAL_JWT_MAX_LIFETIME").pipe(
    Config.withDefault(Authentication.defaultMaxLifetimeSeconds),
    Config.validate({ message: "must be between 60 and 2592000 (30 days)", validation: (s) => s >= 60 && s <= 30 * 86_400 })
  ),
  maxBodyBytes: Config.integer("AIDIAL_MAX_BODY_BYTES").pipe(
    Config.withDefault(RequestBody.defaultMaxBytes),
    Config.validate({ message: "must be between 1024 and 1073741824", validation: (n) => n >= 1024 && n <= 1024 ** 3 })
  )
})

export type ServerConfig = Config.Config.Success<typeof config>
