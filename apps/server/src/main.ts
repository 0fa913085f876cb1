/** The reference server: SQLite (or PostgreSQL) storage and the `/v1` HTTP API on node:http. */
import { Authentication, Http } from "@aidial/adapters-http"
import { NodeIdGenerator } from "@aidial/adapters-node"
import { Clock } from "@aidial/domain"
import { HttpApiBuilder, HttpServer } from "@effect/platform"
import { NodeHttpServer, NodeRuntime } from "@effect/platform-node"
import { Console, Effect, Layer, Option, Redacted } from "effect"
import { randomBytes } from "node:crypto"
import { createServer } from "node:http"
import * as Config from "./Config.js"
import * as DevTokens from "./DevTokens.js"
import * as Storage from "./Storage.js"

const baseUrl = (host: string, port: number): string => {
  const shown = host === "0.0.0.0" || host === "::" ? "localhost" : host.includes(":") ? `[${host}]` : host
  return `http://${shown}:${port}`
}

const banner = (lines: ReadonlyArray<string>) => Console.log(lines.join("\n"))

const program = Effect.gen(function*() {
  const config = yield* Config.config
  if (Option.isNone(config.keyPepper)) {
    yield* Effect.logWarning("AIDIAL_KEY_PEPPER is not set: using the development pepper; set it in production.")
  }
  const devKey = config.jwt.tokens._tag === "Development"
    ? Option.match(config.jwt.tokens.secret, {
      onNone: () => new Uint8Array(randomBytes(32)),
      onSome: (secret) => new TextEncoder().encode(Redacted.value(secret))
    })
    : null
  const verifier = Authentication.layerJose({
    issuer: config.jwt.issuer,
    audience: config.audience,
    algorithms: config.jwt.tokens._tag === "Jwks" ? config.jwt.tokens.algorithms : ["HS256"],
    keys: config.jwt.tokens._tag === "Jwks"
      ? { _tag: "Jwks", url: config.jwt.tokens.url }
      : { _tag: "Local", key: devKey ?? new Uint8Array(32) }
  })

  const storage = Storage.layer(config.database)
  const requirements = Layer.mergeAll(
    NodeIdGenerator.layer,
    Authentication.layerNoApiKeys,
    verifier.pipe(Layer.provide(Clock.layer))
  ).pipe(Layer.provideMerge(storage))

  const announce = Layer.effectDiscard(Effect.gen(function*() {
    const server = yield* HttpServer.HttpServer
    const port = server.address._tag === "TcpAddress" ? server.address.port : config.port
    const url = baseUrl(config.host, port)
    const lines = [
      "",
      `AiDial reference server listening on ${url}`,
      `  storage:  ${Storage.describe(config.database)}`,
      `  OpenAPI:  ${url}/v1/openapi.json`,
      `  docs:     ${url}/v1/docs`,
      ""
    ]
    if (devKey === null) {
      lines.push(`Bearer tokens are verified against ${config.jwt.tokens._tag === "Jwks" ? config.jwt.tokens.url.href : "?"}.`)
    } else {
      const now = yield* (yield* Clock.Clock).now
      const tokens = yield* DevTokens.forDemoUsers({ key: devKey, issuer: config.jwt.issuer, audience: config.audience, now })
      lines.push(
        `Development mode: HS256 tokens (iss ${config.jwt.issuer}, aud ${config.audience}), valid ${DevTokens.lifetimeSeconds / 3600} h.`,
        Option.isNone(config.jwt.tokens._tag === "Development" ? config.jwt.tokens.secret : Option.none())
          ? "AIDIAL_DEV_JWT_SECRET is not set, so these tokens work until this process stops."
          : "Signed with AIDIAL_DEV_JWT_SECRET.",
        "Paste into a shell:",
        ""
      )
      for (const t of tokens) {
        lines.push(`export ${t.variable}=${t.token}   # ${t.user.email}, ${t.user.role}${t.user.of === null ? "" : ` of ${t.user.of}`}`)
      }
      lines.push(
        "",
        "Then try:",
        `  curl -s ${url}/v1/me -H "Authorization: Bearer $TOKEN_ACME_ADMIN"`,
        `  curl -s ${url}/v1/clients -H "Authorization: Bearer $TOKEN_ACME_ADMIN"`,
        `  curl -s ${url}/v1/projects -H "Authorization: Bearer $TOKEN_ACME_USER"`,
        `  curl -s "${url}/v1/projects?limit=2" -H "Authorization: Bearer $TOKEN_GLOBEX_ADMIN"`,
        `  curl -s "${url}/v1/projects?client_id=cli_globex_hotel" -H "Authorization: Bearer $TOKEN_OPERATOR"`,
        `  curl -s ${url}/v1/clients/cli_globex_clinic -H "Authorization: Bearer $TOKEN_ACME_ADMIN"   # 404: another organisation's client`,
        `  curl -si ${url}/v1/projects                                                             # 401 problem+json`,
        `  curl -s ${url}/v1/me -H "X-API-Key: adk_test_example" -H "Authorization: Bearer $TOKEN_ACME_ADMIN"   # 401: the key alone decides`,
        ""
      )
    }
    yield* banner(lines)
  }))

  const app = Layer.mergeAll(HttpApiBuilder.serve(), announce).pipe(
    Layer.provide(Http.layer),
    Layer.provideMerge(requirements),
    Layer.provide(NodeHttpServer.layer(createServer, { port: config.port, host: config.host })),
    Layer.provide(Clock.layer),
    // No trace exporter is wired here, so spans would only cost time on every request.
    Layer.provide(Layer.setTracerEnabled(false))
  )
  return yield* Layer.launch(app)
})

NodeRuntime.runMain(program)
