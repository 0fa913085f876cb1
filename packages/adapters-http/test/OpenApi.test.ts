/**
 * The OpenAPI document says what the server does: Redocly's recommended rules find nothing, and every GET
 * operation, called with paths built from the document alone, answers a status and media type the document
 * declares for it, with the headers it declares, and refuses an API key exactly where it says "bearer only";
 * every POST, PATCH, PUT and DELETE, called on a fresh world with a body built from its request schema, answers
 * a declared status and media type, with a body its schema accepts and the headers it declares.
 */
import { Api, Http, Security } from "@aidial/adapters-http"
import { OpenApi } from "@effect/platform"
import { createConfig, lintFromString } from "@redocly/openapi-core"
import { Ajv2020 } from "ajv/dist/2020.js"
import { afterAll, describe, expect, it } from "vitest"
import { now, requirements, token } from "./StandingWorld.js"
import * as World from "./World.js"

const spec = OpenApi.fromApi(Api.Api)

const { dispose, handler } = Http.toWebHandler(requirements)
afterAll(() => dispose())


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
/** Validates a value against the schema at a JSON pointer into the document (inline schemas included). */
const validateAt = (pointer: Array<string>, value: unknown): string | null => {
  const check = ajv.compile({ $ref: `openapi.json#/${pointer.map((p) => encodeURIComponent(p.replaceAll("~", "~0").replaceAll("/", "~1"))).join("/")}` })
  return check(value) ? null : ajv.errorsText(check.errors)
}

/** Follows a `$ref` into the document. */
const resolve = (schema: unknown): Record<string, unknown> => {
  const name = schemaName(schema)
  const target: unknown = name === "" ? schema : Reflect.get(spec.components.schemas, name)
  return isRecord(target) ? target : {}
}

/**
 * A value the schema accepts, read from the document alone: its example when it has one, else the
 * smallest value its type, enum, format and required properties allow.
 */
const sample = (schema: unknown): unknown => {
  const s = resolve(schema)
  const own = isRecord(schema) && Array.isArray(schema["examples"]) ? schema["examples"] : undefined
  const examples = own ?? (Array.isArray(s["examples"]) ? s["examples"] : undefined)
  if (examples !== undefined && examples.length > 0) return examples[0]
  if (Array.isArray(s["enum"])) return s["enum"][0]
  for (const key of ["anyOf", "oneOf", "allOf"]) {
    const options = s[key]
    if (Array.isArray(options)) return sample(options.find((o) => !(isRecord(o) && o["type"] === "null")) ?? options[0])
  }
  switch (s["type"]) {
    case "object": {
      const properties = isRecord(s["properties"]) ? s["properties"] : {}
      const required = Array.isArray(s["required"]) ? s["required"].map(String) : []
      return Object.fromEntries(required.map((name) => [name, sample(properties[name])]))
    }
    case "array":
      return []
    case "integer":
    case "number":
      return typeof s["minimum"] === "number" ? s["minimum"] : 1
    case "boolean":
      return true
    case "string":
      return s["format"] === "email" ? "new.member@example.com"
        : s["format"] === "date-time" ? now.toISOString()
        : "x".repeat(typeof s["minLength"] === "number" ? Math.max(1, s["minLength"]) : 1)
    default:
      return {}
  }
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

  it("gives every request body and every 2xx response body an example its schema accepts", () => {
    const bodiesOf = (where: string, pointer: Array<string>, holder: unknown) =>
      Object.entries(Object(Reflect.get(Object(holder), "content"))).map(([media, content]) => ({
        where: `${where} ${media}`,
        pointer: [...pointer, "content", media, "schema"],
        schema: Reflect.get(Object(content), "schema")
      }))
    const requests = operations.flatMap(({ method, op, path }) =>
      bodiesOf(`${method} ${path} request`, ["paths", path, method.toLowerCase(), "requestBody"], op["requestBody"])
    )
    const answers = operations.flatMap(({ method, op, path }) =>
      Object.entries(Object(op["responses"])).filter(([status]) => status.startsWith("2")).flatMap(([status, response]) =>
        bodiesOf(`${method} ${path} ${status}`, ["paths", path, method.toLowerCase(), "responses", status], response)
      )
    )
    expect(requests.length).toBeGreaterThan(15)
    expect(answers.length).toBeGreaterThan(35)
    const bodies = [...requests, ...answers]
    const missing: Array<string> = []
    for (const { pointer, schema, where } of bodies) {
      // The schema itself, the component it names, or (a body that may be absent) the component of its non-null branch.
      const options: Array<unknown> = isRecord(schema) && Array.isArray(schema["anyOf"]) ? schema["anyOf"] : [schema]
      const examples = options.flatMap((option) => {
        const found: unknown = resolve(option)["examples"]
        return Array.isArray(found) ? found : []
      })
      if (examples.length === 0) missing.push(where)
      for (const example of examples) expect(validateAt(pointer, example), `${where}: ${JSON.stringify(example)}`).toBeNull()
    }
    expect(missing).toEqual([])
    // Annotating with an example keeps each body a named component.
    expect(Object.keys(spec.components.schemas)).toEqual(expect.arrayContaining([
      "CreateApiKey", "ApiKeyMetadata", "ProvisionClient", "Client", "ClientList", "Invite", "Invitation", "PartnerOrg", "Project", "Draft", "Me"
    ]))
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

  it("declares the status, media type, body schema and headers of every answer to a POST, PATCH, PUT or DELETE", async () => {
    const writes = operations.filter((o) => o.method !== "GET")
    expect(writes.length).toBeGreaterThan(20)
    // The validator reads inline answer schemas too, and refuses a body that breaks one.
    expect(validateAt(["paths", "/v1/clients", "post", "responses", "201", "content", "application/json", "schema"], { client_id: 5 })).not.toBeNull()
    const mismatches: Array<string> = []
    const succeeded = new Set<string>()
    for (const { method, op, path } of writes) {
      for (const who of ["adminA", "platformAdmin"] as const) {
        // A fresh world for every call, so no call depends on another's effects.
        const fresh = Http.toWebHandler(requirements)
        try {
          const bearer = { authorization: `Bearer ${await token(who)}` }
          const created = await fresh.handler(new Request("http://localhost/v1/clients/cli_a1/api-keys", {
            method: "POST",
            headers: { ...bearer, "content-type": "application/json" },
            body: JSON.stringify({ name: "conformance", scope: "manage", environment: "live" })
          }))
          const keyId = String(Object(Object(JSON.parse(await created.text()))["api_key"])["key_id"])
          // Ids of the seeded world for the path, and a body from the document's request schema alone.
          const url = path.replace(/\{(\w+)\}/g, (_, name: string) =>
            ({ clientId: "cli_a1", projectId: "prj_a1_live", partnerOrgId: "org_a", userId: World.userId("userA"), keyId, version: "1" })[name] ??
              `${name.replace(/Id$/, "").slice(0, 3)}_unknown`)
          // An operation guarded by `If-Match` gets the draft's current ETag, read as a client would;
          // one on a version has version 1 published first, so the version it names exists.
          const draftUrl = "http://localhost/v1/projects/prj_a1_live/draft"
          const etag = async () => (await fresh.handler(new Request(draftUrl, { headers: bearer }))).headers.get("etag") ?? ""
          const guarded = Array.isArray(op["parameters"]) &&
            op["parameters"].some((p: unknown) => isRecord(p) && p["in"] === "header" && p["name"] === "if-match")
          if (guarded && path.includes("{version}")) {
            await fresh.handler(new Request("http://localhost/v1/projects/prj_a1_live/publish", {
              method: "POST",
              headers: { ...bearer, "content-type": "application/json", "if-match": await etag() },
              body: "{}"
            }))
          }
          const ifMatch = guarded ? { "if-match": await etag() } : {}
          const content: unknown = Reflect.get(Object(op["requestBody"]), "content")
          const [media, declaredBody] = isRecord(content) ? Object.entries(content)[0] ?? [] : []
          const body = media === undefined ? undefined : JSON.stringify(sample(Reflect.get(Object(declaredBody), "schema")))
          const response = await fresh.handler(new Request(`http://localhost${url}`, {
            method,
            headers: media === undefined ? { ...bearer, ...ifMatch } : { ...bearer, ...ifMatch, "content-type": media },
            ...(body === undefined ? {} : { body })
          }))
          const status = String(response.status)
          const where = `${who} ${method} ${url} ${body ?? ""} -> ${status}`
          const declared = Object(op["responses"])[status]
          if (!isRecord(declared)) {
            mismatches.push(`${where}: status not declared: ${await response.text()}`)
            continue
          }
          if (response.status < 300) succeeded.add(`${method} ${path}`)
          for (const header of Object.keys(Object(declared["headers"]))) {
            if (!response.headers.has(header)) mismatches.push(`${where}: header ${header} declared but missing`)
          }
          const text = await response.text()
          if (!isRecord(declared["content"])) {
            if (text !== "") mismatches.push(`${where}: a body where none is declared`)
            continue
          }
          const answered = (response.headers.get("content-type") ?? "").split(";")[0] ?? ""
          if (!(answered in declared["content"])) {
            mismatches.push(`${where}: media type ${answered} not declared`)
            continue
          }
          if (answered.endsWith("json")) {
            const invalid = validateAt(["paths", path, method.toLowerCase(), "responses", status, "content", answered, "schema"], JSON.parse(text))
            if (invalid !== null) mismatches.push(`${where}: body does not match its schema: ${invalid}`)
          }
        } finally {
          await fresh.dispose()
        }
      }
    }
    expect(mismatches).toEqual([])
    // Most writes succeed with a body from the document alone, so the answers checked are not only refusals.
    expect(succeeded.size, [...succeeded].join("\n")).toBeGreaterThan(writes.length / 2)
    // The operations guarded by If-Match succeed with the ETag the draft's GET gives.
    for (const guarded of ["PATCH /v1/projects/{projectId}/draft", "POST /v1/projects/{projectId}/publish", "POST /v1/projects/{projectId}/versions/{version}/restore"]) {
      expect(succeeded, guarded).toContain(guarded)
    }
  })
})
