/** The reference server: SQLite (or PostgreSQL) storage and the `/v1` HTTP API on node:http. */
import { Http } from "@aidial/adapters-http"
import { Clock } from "@aidial/domain"
import { HttpServer } from "@effect/platform"
import { NodeHttpServer, NodeRuntime } from "@effect/platform-node"
import { Console, Effect, Layer, Option, Redacted } from "effect"
import * as AcceptPage from "./AcceptPage.js"
import * as App from "./App.js"
import * as Config from "./Config.js"
import * as DemoKeys from "./DemoKeys.js"
import * as DevTokens from "./DevTokens.js"
import * as NodeListener from "./NodeListener.js"
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
  const devKey = App.devKeyOf(config)
  const requirements = App.layerListening(config, devKey)

  const announce = Layer.effectDiscard(Effect.gen(function*() {
    const server = yield* HttpServer.HttpServer
    const url = baseUrl(config.host, App.boundPort(server, config.port))
    const limit = config.rateLimit.default
    const lines = [
      "",
      `AiDial reference server listening on ${url}`,
      `  storage:     ${Storage.describe(config.database)}`,
      `  OpenAPI:     ${url}/v1/openapi.json`,
      `  docs:        ${url}/v1/docs`,
      `  rate limit:  ${limit.requests} requests per ${limit.windowSeconds} s per key or user` +
        (config.rateLimit.overrides.size > 0 ? ` (${config.rateLimit.overrides.size} overrides)` : ""),
      ""
    ]
    const demoKeys = yield* DemoKeys.DemoKeys
    const keyId = demoKeys.find((k) => k.environment === "live")?.id ?? "<key_id>"
    const keysUrl = `${url}/v1/clients/${DemoKeys.clientId}/api-keys`
    const json = `-H "Content-Type: application/json"`
    if (demoKeys.length > 0) {
      lines.push(`Demo API keys (read) for ${DemoKeys.clientId}, created now and shown only this once:`, "")
      for (const k of demoKeys) {
        lines.push(`export AIDIAL_KEY_${k.environment.toUpperCase()}=${Redacted.value(k.plaintext)}   # ${k.id}`)
      }
      lines.push("")
    } else {
      lines.push(
        `API keys already exist for ${DemoKeys.clientId}; their plaintexts were shown on the first start only.`,
        "Create another with an admin's bearer token (development mode: $TOKEN_ACME_ADMIN below), or delete the database file",
        "and start again for a new demo world:",
        `  curl -s -X POST ${keysUrl} -H "Authorization: Bearer $TOKEN_ACME_ADMIN" ${json} \\`,
        `       -d '{"name":"My key","scope":"read","environment":"live"}'   # the "plaintext" of the answer is the key`,
        ""
      )
    }
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
        lines.push(`export ${t.variable}=${t.token}   # ${t.user.email}, ${t.user.role ?? "no membership yet"}${t.user.of === null ? "" : ` of ${t.user.of}`}`)
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
        "",
        "API keys (create, rotate and revoke need a bearer token; the plaintext is in the create or rotate answer only):",
        `  curl -s ${url}/v1/projects -H "X-API-Key: $AIDIAL_KEY_LIVE"                 # use: one client, one environment`,
        `  curl -s -X POST ${keysUrl} -H "Authorization: Bearer $TOKEN_ACME_ADMIN" ${json} \\`,
        `       -d '{"name":"CRM sync","scope":"read","environment":"live","expires":90}'   # create`,
        `  curl -s -X POST ${keysUrl}/${keyId}/rotate -H "Authorization: Bearer $TOKEN_ACME_ADMIN" ${json} -d '{}'`,
        `  curl -s -X POST ${keysUrl}/${keyId}/revoke -H "Authorization: Bearer $TOKEN_ACME_ADMIN" ${json} -d '{"reason":"done"}'`,
        `  curl -s "${keysUrl}/${keyId}/usage?bucket=minute" -H "Authorization: Bearer $TOKEN_ACME_ADMIN"`,
        "",
        "Partner team: provision an organisation, invite new.partner@example.com, accept with the link this log prints:",
        `  curl -s -X POST ${url}/v1/partner-orgs -H "Authorization: Bearer $TOKEN_PLATFORM_ADMIN" ${json} -d '{"name":"Nimbus Partners"}'`,
        `  curl -s -X POST ${url}/v1/partner-orgs/<org_id>/invitations -H "Authorization: Bearer $TOKEN_PLATFORM_ADMIN" ${json} \\`,
        `       -d '{"email":"new.partner@example.com","role":"partner_admin"}'`,
        `  curl -s -X POST ${url}/v1/invitations/accept -H "Authorization: Bearer $TOKEN_NEW_PARTNER" ${json} -d '{"code":"<code from the link>"}'`,
        "  (the whole walkthrough: packages/adapters-http/README.md, \"Partner team walkthrough\")",
        ""
      )
    }
    yield* banner(lines)
  }))

  // Invitation links point at this server's development page unless they point at a portal.
  const pages = Option.isNone(config.inviteAcceptUrl) ? AcceptPage.layer : Layer.empty
  const app = Layer.mergeAll(Http.serve(), announce).pipe(
    Layer.provide(Layer.merge(Http.layer, pages)),
    Layer.provideMerge(requirements),
    Layer.provide(NodeHttpServer.layer(NodeListener.make, { port: config.port, host: config.host })),
    Layer.provide(Clock.layer),
    // No trace exporter is wired here, so spans (the HTTP server's and the use cases') would only cost time.
    Http.untraced
  )
  return yield* Layer.launch(app)
})

NodeRuntime.runMain(program)
