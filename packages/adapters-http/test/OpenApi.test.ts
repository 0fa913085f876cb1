/**
 * The OpenAPI document says what the server does: Redocly's recommended rules find nothing, and every GET
 * operation, called with paths built from the document alone, answers a status and media type the document
 * declares for it, with the headers it declares, and refuses an API key exactly where it says "bearer only".
 */
import { Api, Authentication, Http, Security } from "@aidial/adapters-http"
import { Clock } from "@aidial/domain"
import { SequentialIds } from "@aidial/testkit"
import { OpenApi } from "@effect/platform"
import { createConfig, lintFromString } from "@redocly/openapi-core"
import { Ajv2020 } from "ajv/dist/2020.js"
import { Effect, Layer } from "effect"
import * as Jose from "jose"
import { afterAll, describe, expect, it } from "vitest"
import * as ApiKeyStack from "./ApiKeyStack.js"
import * as World from "./World.js"

const spec = OpenApi.fromApi(Api.Api)

const now = new Date("2026-01-01T00:00:00.000Z")
const secret = new TextEncoder().encode("openapi-test-secret-openapi-test-secret-1")
const issuer = "https://id.test.aidial"
const audience = "aidial-api"
const requirements = Layer.mergeAll(
  Authentication.layerJose({ issuer, audience, algorithms: ["HS256"], keys: { _tag: "Local", key: secret } }),
  ApiKeyStack.layer()
).pipe(Layer.provideMerge(Layer.mergeAll(
  World.layer,
  SequentialIds.layer,
  Layer.succeed(Clock.Clock, Clock.Clock.of({ now: Effect.sync(() => now) }))
)))
const { dispose, handler } = Http.toWebHandler(requirements)
afterAll(() => dispose())

const token = (who: keyof typeof World.subjects) =>
  new Jose.SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(World.subjects[who])
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt(Math.floor(now.getTime() / 1000) - 60)
    .setExpirationTime(Math.floor(now.getTime() / 1000) + 3600)
    .sign(secret)

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

/** Every operation of the document: method, path template, and the operation object. */
const operations = Object.entries(spec.paths).flatMap(([path, item]) =>
  Object.entries(item).filter(([, op]) => isRecord(op)).map(([method, op]) => ({ method: method.toUpperCase(), path, op: Object(op) }))
)

/** Validates a JSON answer against a response schema of the document (its `$ref`s resolved in the document). */
const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true })
// The generator marks `Schema.Unknown` with one `$id` wherever it appears; an `$id` is no constraint, so drop them.
const withoutIds = (value: unknown): unknown =>
  Array.isArray(value) ? value.map(withoutIds)
  : isRecord(value) ? Object.fromEntries(Object.entries(value).filter(([k]) => k !== "$id").map(([k, v]) => [k, withoutIds(v)]))
  : value
ajv.addSchema({ ...Object(withoutIds(spec)), $id: "openapi.json" })
const validate = (schema: unknown, value: unknown): string | null => {
  const check = ajv.compile({ $ref: `openapi.json#/components/schemas/${schemaName(schema)}` })
  return check(value) ? null : ajv.errorsText(check.errors)
}
const schemaName = (schema: unknown): string => String(Reflect.get(Object(schema), "$ref") ?? "").replace("#/components/schemas/", "")

const bearerOnly = (op: Record<string, unknown>) => JSON.stringify(op["security"]) === JSON.stringify([{ Bearer: [] }])

describe("the OpenAPI document", () => {
  it("has no error and no warning under Redocly's recommended rules", async () => {
    const config = await createConfig({ extends: ["recommended"] })
    const problems = await lintFromString({ source: JSON.stringify(spec), absoluteRef: "/v1/openapi.json", config })
    const found = problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} (${p.location.map((l) => l.pointer).join(", ")})`)
    expect(found).toEqual([])
  })

  it("says what the server decodes: an integer limit, strict date-times, an email address", () => {
    const text = JSON.stringify(spec)
    const limit = spec.paths["/v1/clients"]?.get?.parameters?.find((p) => "name" in p && p.name === "limit")
    expect(limit).toMatchObject({ schema: { type: "integer", minimum: 1, maximum: 200 } })
    expect(text).toContain(`"format":"email"`)
    expect(text).toContain(`"format":"date-time"`)
    expect(Object.keys(spec.components.schemas)).not.toContain("HttpApiDecodeError")
  })

  it("gives every problem type an example of its body", () => {
    const problems = Object.entries(spec.components.schemas).filter(([, schema]) => JSON.stringify(schema).includes("urn:aidial:problem:"))
    expect(problems.length).toBeGreaterThanOrEqual(8)
    for (const [name, schema] of problems) {
      const examples: unknown = Reflect.get(Object(schema), "examples")
      expect(Array.isArray(examples) ? examples[0] : undefined, name).toMatchObject({
        type: expect.stringMatching(/^urn:aidial:problem:/),
        status: expect.any(Number),
        detail: expect.any(String)
      })
    }
  })

  it("marks bearer only exactly the operations of the groups and key lifecycle no key may call", () => {
    const marked = operations.filter((o) => bearerOnly(o.op)).map((o) => `${o.method} ${o.path}`)
    expect(marked).toEqual(expect.arrayContaining([
      "POST /v1/clients/{clientId}/api-keys",
      "POST /v1/clients/{clientId}/api-keys/{keyId}/rotate",
      "POST /v1/clients/{clientId}/api-keys/{keyId}/revoke",
      "GET /v1/audit-events",
      "POST /v1/invitations/accept"
    ]))
    for (const { op } of operations) expect([Security.either, Security.bearer]).toContainEqual(op["security"])
    expect(marked).not.toContain("GET /v1/me")
    expect(marked).not.toContain("GET /v1/clients/{clientId}/api-keys")
  })

  it("declares the status, media type, body schema and headers of every GET answer, and a key is refused where it says bearer only", async () => {
    const bearer = { authorization: `Bearer ${await token("adminA")}` }
    const created = await handler(new Request("http://localhost/v1/clients/cli_a1/api-keys", {
      method: "POST",
      headers: { ...bearer, "content-type": "application/json" },
      body: JSON.stringify({ name: "conformance", scope: "manage", environment: "live" })
    }))
    const key = String(Object(JSON.parse(await created.text()))["plaintext"])
    // The validator refuses a body that breaks the schema, so a passing check means something.
    expect(validate({ $ref: "#/components/schemas/ClientList" }, { clients: 5, next_cursor: null })).not.toBeNull()
    const gets = operations.filter((o) => o.method === "GET")
    expect(gets.length).toBeGreaterThan(10)
    const mismatches: Array<string> = []
    for (const { op, path } of gets) {
      // Paths from the document alone: the key's own client, and an id of the right shape for anything else.
      const url = path.replace("{clientId}", "cli_a1").replace(/\{(\w+)\}/g, (_, name: string) =>
        name === "version" ? "1" : `${name.replace(/Id$/, "").slice(0, 3)}_unknown`)
      for (const [who, headers] of [["bearer", bearer], ["key", { "x-api-key": key }]] as const) {
        const response = await handler(new Request(`http://localhost${url}`, { headers }))
        const status = String(response.status)
        const declared = Object(op["responses"])[status]
        const where = `${who} GET ${url} -> ${status}`
        if (!isRecord(declared)) {
          mismatches.push(`${where}: status not declared`)
          continue
        }
        const media = (response.headers.get("content-type") ?? "").split(";")[0] ?? ""
        if (isRecord(declared["content"]) && !(media in declared["content"])) mismatches.push(`${where}: media type ${media} not declared`)
        const declaredSchema: unknown = Reflect.get(Object(Object(declared["content"])[media]), "schema")
        if (media.endsWith("json") && schemaName(declaredSchema) !== "") {
          const invalid = validate(declaredSchema, JSON.parse(await response.clone().text()))
          if (invalid !== null) mismatches.push(`${where}: body does not match ${schemaName(declaredSchema)}: ${invalid}`)
        }
        for (const header of Object.keys(Object(declared["headers"]))) {
          if (!response.headers.has(header)) mismatches.push(`${where}: header ${header} declared but missing`)
        }
        // A key gets nothing from a bearer-only operation: refused, or (a listing) an empty list.
        const body: unknown = media.endsWith("json") ? JSON.parse(await response.clone().text()) : null
        const nothing = response.status === 403 || response.status === 404 ||
          (response.status === 200 && isRecord(body) && Object.values(body).every((v) => !Array.isArray(v) || v.length === 0))
        if (who === "key" && bearerOnly(op) && !nothing) mismatches.push(`${where}: bearer only, yet a key got something`)
        if (who === "key" && !bearerOnly(op) && response.status === 403) mismatches.push(`${where}: takes a key, yet refused it`)
      }
    }
    expect(mismatches).toEqual([])
  })
})
