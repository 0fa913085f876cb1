/**
 * The reference server's composition (`App.layer`) on a SQLite file, called through `Http.toWebHandler`
 * the way the README's curl walkthrough calls the running server; then built again on the same file,
 * as a restart does.
 */
import { Http } from "@aidial/adapters-http"
import { ConfigProvider, Context, Effect, Exit, Layer, Redacted, Schema, Scope } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import * as App from "../src/App.js"
import * as Config from "../src/Config.js"
import * as DemoKeys from "../src/DemoKeys.js"
import * as DevTokens from "../src/DevTokens.js"

const dir = mkdtempSync(join(tmpdir(), "aidial-server-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const devSecret = "reference-server-test-secret-0123456789"
const environment = (filename: string) =>
  ConfigProvider.fromMap(new Map([
    ["AIDIAL_DATABASE_URL", `sqlite:${filename}`],
    ["AIDIAL_KEY_PEPPER", "reference-server-test-pepper"],
    ["AIDIAL_DEV_JWT_SECRET", devSecret],
    ["AIDIAL_USAGE_FLUSH_MS", "60000"]
  ]))

/** The server over `filename`: a fetch-style handler, the demo keys it printed, and bearer tokens for the demo users. */
const start = async (filename: string) => {
  const config = await Effect.runPromise(Effect.withConfigProvider(Config.config, environment(filename)))
  const devKey = App.devKeyOf(config)
  if (devKey === null) throw new Error("the test configures development tokens")
  const scope = Effect.runSync(Scope.make())
  const context = await Effect.runPromise(Scope.extend(Layer.build(App.layer(config, devKey)), scope))
  const web = Http.toWebHandler(Layer.succeedContext(context))
  const now = new Date()
  const tokens = await Effect.runPromise(Effect.provide(
    DevTokens.forDemoUsers({ key: devKey, issuer: config.jwt.issuer, audience: config.audience, now }),
    context
  ))
  const token = (subject: string) => {
    const found = tokens.find((t) => t.user.subject === subject)
    if (found === undefined) throw new Error(`no token for ${subject}`)
    return found.token
  }
  const call = (method: string, path: string, headers: Record<string, string>, body?: unknown) =>
    web.handler(new Request(`http://localhost${path}`, {
      method,
      headers: body === undefined ? headers : { ...headers, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    }))
  return {
    demoKeys: Context.get(context, DemoKeys.DemoKeys),
    bearer: (subject: string) => ({ authorization: `Bearer ${token(subject)}` }),
    call,
    stop: async () => {
      await web.dispose()
      await Effect.runPromise(Scope.close(scope, Exit.void))
    }
  }
}

/** Reads a JSON response as `schema` (extra fields are ignored). */
const read = <A, I>(schema: Schema.Schema<A, I>) => async (response: Response): Promise<A> =>
  Schema.decodeUnknownSync(schema)(JSON.parse(await response.text()))

const KeyView = Schema.Struct({ key_id: Schema.String, status: Schema.String })
const projects = read(Schema.Struct({ projects: Schema.Array(Schema.Struct({ project_id: Schema.String })) }))
const problem = read(Schema.Record({ key: Schema.String, value: Schema.Unknown }))
const created = read(Schema.Struct({ api_key: KeyView, plaintext: Schema.String }))
const rotated = read(Schema.Struct({ api_key: KeyView, plaintext: Schema.String, previous: KeyView }))
const keyView = read(KeyView)
const auditPage = read(Schema.Struct({ events: Schema.Array(Schema.Struct({ action: Schema.String })) }))

describe("the reference server on SQLite", () => {
  it("answers the README's calls, keeps what it wrote across a restart, and shows no demo key twice", async () => {
    const filename = join(dir, "server.sqlite")
    const server = await start(filename)
    const keysUrl = `/v1/clients/${DemoKeys.clientId}/api-keys`
    const admin = server.bearer("demo-acme-admin")
    let createdId = ""
    const live = server.demoKeys.find((k) => k.environment === "live")
    if (live === undefined) throw new Error("a fresh database gets a live demo key")
    try {
      const anonymous = await server.call("GET", "/v1/projects", {})
      expect(anonymous.status).toBe(401)
      expect(anonymous.headers.get("www-authenticate")).toMatch(/^Bearer/)
      expect(anonymous.headers.get("content-type")).toContain("application/problem+json")

      const withKey = await server.call("GET", "/v1/projects", { "x-api-key": Redacted.value(live.plaintext) })
      expect(withKey.status).toBe(200)
      expect((await projects(withKey)).projects.map((p) => p.project_id)).toEqual(["prj_acme_dental_live"])

      // Another organisation's client answers exactly as a client that does not exist.
      const foreign = await server.call("GET", "/v1/clients/cli_globex_clinic", admin)
      const missing = await server.call("GET", "/v1/clients/cli_nobody_here", admin)
      expect([foreign.status, missing.status]).toEqual([404, 404])
      const strip = (problem: Record<string, unknown>) => ({ ...problem, instance: null, request_id: null })
      expect(strip(await problem(foreign))).toEqual(strip(await problem(missing)))

      const creation = await server.call("POST", keysUrl, admin, { name: "CRM sync", scope: "read", environment: "live", expires: 90 })
      expect(creation.status).toBe(201)
      const { api_key: createdKey, plaintext } = await created(creation)
      createdId = createdKey.key_id
      expect((await server.call("GET", "/v1/projects", { "x-api-key": plaintext })).status).toBe(200)

      const rotation = await server.call("POST", `${keysUrl}/${createdId}/rotate`, admin, {})
      expect(rotation.status).toBe(200)
      const replacement = await rotated(rotation)
      expect(replacement.previous.status).toBe("rotated")
      expect((await server.call("GET", "/v1/projects", { "x-api-key": plaintext })).status).toBe(401)
      expect((await server.call("GET", "/v1/projects", { "x-api-key": replacement.plaintext })).status).toBe(200)

      const revoked = await server.call("POST", `${keysUrl}/${replacement.api_key.key_id}/revoke`, admin, { reason: "done" })
      expect(revoked.status).toBe(200)
      expect((await server.call("GET", "/v1/projects", { "x-api-key": replacement.plaintext })).status).toBe(401)

      const trail = await server.call("GET", `/v1/audit-events?client_id=${DemoKeys.clientId}&limit=100`, admin)
      const text = await trail.clone().text()
      const actions = (await auditPage(trail)).events.map((e) => e.action)
      expect(actions).toEqual(expect.arrayContaining(["apikey.create", "apikey.rotate", "apikey.revoke", "apikey.verify"]))
      // The failed verifications (the rotated and the revoked key) are in the partner's trail, without secrets.
      expect(text).not.toContain(plaintext)
      expect(text).not.toContain(replacement.plaintext)
    } finally {
      await server.stop()
    }

    const again = await start(filename)
    try {
      expect(again.demoKeys).toEqual([])
      expect((await keyView(await again.call("GET", `${keysUrl}/${createdId}`, admin))).status).toBe("rotated")
      expect((await again.call("GET", "/v1/projects", { "x-api-key": Redacted.value(live.plaintext) })).status).toBe(200)
    } finally {
      await again.stop()
    }
  })
})
