/**
 * The OpenAPI document says what the server does: Redocly's recommended rules find nothing, and every GET
 * operation, called with paths built from the document alone, answers a status and media type the document
 * declares for it, with the headers it declares, and refuses an API key exactly where it says "bearer only";
 * every POST, PATCH, PUT and DELETE, called on a fresh world with a body built from its request schema, answers
 * a declared status and media type, with a body its schema accepts (a problem's code among those declared) and the
 * headers it declares, and succeeds at least once. No operation declares a 404 with nothing to look up, nor a 413
 * or 415 without a body; every body is refused with the declared 413 and 415 when too large or of another type.
 */
import { Api, Http, RequestBody, Security } from "@aidial/adapters-http"
import { Ids, Outbox } from "@aidial/domain"
import { Fixtures } from "@aidial/testkit"
import { OpenApi } from "@effect/platform"
import { createConfig, lintFromString } from "@redocly/openapi-core"
import { Ajv2020 } from "ajv/dist/2020.js"
import { Effect, Layer, ManagedRuntime, Redacted } from "effect"
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

/** An operation's request body: its media type, its schema, and the body built from that schema alone. */
const requestOf = (op: Record<string, unknown>) => {
  const content: unknown = Reflect.get(Object(op["requestBody"]), "content")
  const [media, declared] = isRecord(content) ? Object.entries(content)[0] ?? [] : []
  if (media === undefined) return undefined
  const schema: unknown = Reflect.get(Object(declared), "schema")
  return { media, schema: resolve(schema), body: sample(schema) }
}

/** Whether an operation names something to look up: a path parameter, an `*_id` parameter or body field, or a code. */
const namesSomething = (path: string, op: Record<string, unknown>): boolean => {
  const parameters: Array<unknown> = Array.isArray(op["parameters"]) ? op["parameters"] : []
  const fields = Object.keys(Object(requestOf(op)?.schema["properties"]))
  return path.includes("{") ||
    parameters.some((p) => isRecord(p) && String(p["name"]).endsWith("_id")) ||
    fields.some((f) => f.endsWith("_id") || f === "code")
}

/**
 * The operations that name nothing, yet answer 404: a platform action asked by someone out of its scope is refused
 * as missing, like everything out of scope. The calls below must see each of them answer 404.
 */
const outOfScopeAnswers404 = ["POST /v1/partner-orgs"]

/** A fresh world: the API over it, and its ports, to store facts and read the outbox as the mailer would. */
const freshWorld = async () => {
  const runtime = ManagedRuntime.make(requirements)
  const context = await runtime.runtime()
  const web = Http.toWebHandler(Layer.succeedContext(context.context))
  return {
    handler: web.handler,
    run: runtime.runPromise,
    dispose: async () => {
      await web.dispose()
      await runtime.dispose()
    }
  }
}

/** The partner organisations the request examples name (`partner_org_id`), which the world must hold for them to succeed. */
const exampleOrgs = [...new Set(operations.flatMap(({ op }) => {
  const id: unknown = Reflect.get(Object(requestOf(op)?.body), "partner_org_id")
  return typeof id === "string" ? [Ids.PartnerOrgId.make(id)] : []
}))]

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
        if (media.endsWith("json") && isRecord(declared["content"]) && media in declared["content"]) {
          const invalid = validateAt(["paths", path, "get", "responses", status, "content", media, "schema"], JSON.parse(await response.clone().text()))
          if (invalid !== null) mismatches.push(`${where}: body does not match its schema: ${invalid}`)
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

  it("declares no 404 where nothing is looked up, and no 413 or 415 where there is no body", () => {
    const overBroad: Array<string> = []
    for (const { method, op, path } of operations) {
      const where = `${method} ${path}`
      const statuses = Object.keys(Object(op["responses"]))
      if (statuses.includes("404") && !namesSomething(path, op) && !outOfScopeAnswers404.includes(where)) {
        overBroad.push(`${where}: 404 with nothing to look up`)
      }
      const body = op["requestBody"] !== undefined
      for (const status of ["413", "415"]) {
        if (statuses.includes(status) !== body) overBroad.push(`${where}: ${status} ${body ? "missing for" : "without"} a body`)
      }
    }
    expect(overBroad).toEqual([])
    // Who am I can fail only as every request can: malformed, unauthenticated, limited, or on the server's side.
    expect(Object.keys(Object(spec.paths["/v1/me"]?.get?.responses))).toEqual(["200", "400", "401", "429", "500"])
  })

  it("declares the status, media type, body schema and headers of every answer to a POST, PATCH, PUT or DELETE, and each succeeds", async () => {
    const writes = operations.filter((o) => o.method !== "GET")
    expect(writes.length).toBeGreaterThan(20)
    // The validator reads inline answer schemas too, and refuses a body that breaks one (or a code not declared).
    expect(validateAt(["paths", "/v1/clients", "post", "responses", "201", "content", "application/json", "schema"], { client_id: 5 })).not.toBeNull()
    expect(validateAt(["paths", "/v1/me", "get", "responses", "401", "content", "application/problem+json", "schema"], {
      type: "urn:aidial:problem:not_found", title: "Unauthenticated", status: 401, code: "not_found", detail: "x"
    })).not.toBeNull()
    const mismatches: Array<string> = []
    const succeeded = new Set<string>()
    const answered = new Set<string>()
    /** Checks an answer against what the operation declares for its status. */
    const check = async (where: string, method: string, path: string, op: Record<string, unknown>, response: Response) => {
      const status = String(response.status)
      answered.add(`${method} ${path} ${status}`)
      const declared = Object(op["responses"])[status]
      if (!isRecord(declared)) {
        mismatches.push(`${where}: status not declared: ${await response.text()}`)
        return
      }
      if (response.status < 300) succeeded.add(`${method} ${path}`)
      for (const header of Object.keys(Object(declared["headers"]))) {
        if (!response.headers.has(header)) mismatches.push(`${where}: header ${header} declared but missing`)
      }
      const text = await response.text()
      if (!isRecord(declared["content"])) {
        if (text !== "") mismatches.push(`${where}: a body where none is declared`)
        return
      }
      const media = (response.headers.get("content-type") ?? "").split(";")[0] ?? ""
      if (!(media in declared["content"])) {
        mismatches.push(`${where}: media type ${media} not declared`)
        return
      }
      if (media.endsWith("json")) {
        const invalid = validateAt(["paths", path, method.toLowerCase(), "responses", status, "content", media, "schema"], JSON.parse(text))
        if (invalid !== null) mismatches.push(`${where}: body does not match its schema: ${invalid}`)
      }
    }
    for (const { method, op, path } of writes) {
      // A partner admin, a platform admin, and a user of no organisation (who may only accept an invitation).
      for (const who of ["adminA", "platformAdmin", "unaffiliated"] as const) {
        // A fresh world for every call, so no call depends on another's effects; it holds the organisations the
        // request examples name.
        const world = await freshWorld()
        try {
          await world.run(Fixtures.seed({ orgs: exampleOrgs.map((id) => Fixtures.makePartnerOrg({ id, name: "Example" })) }))
          const bearer = { authorization: `Bearer ${await token(who)}` }
          const admin = { authorization: `Bearer ${await token("adminA")}`, "content-type": "application/json" }
          const created = await world.handler(new Request("http://localhost/v1/clients/cli_a1/api-keys", {
            method: "POST",
            headers: admin,
            body: JSON.stringify({ name: "conformance", scope: "manage", environment: "live" })
          }))
          const keyId = String(Object(Object(JSON.parse(await created.text()))["api_key"])["key_id"])
          // An operation on an invitation has one issued first, with the document's example of an invitation.
          const invite = async (email?: string) => {
            const example = Object(requestOf(Object(spec.paths["/v1/partner-orgs/{partnerOrgId}/invitations"]?.post))?.body)
            const issued = await world.handler(new Request("http://localhost/v1/partner-orgs/org_a/invitations", {
              method: "POST",
              headers: admin,
              body: JSON.stringify(email === undefined ? example : { ...example, email })
            }))
            return String(Object(JSON.parse(await issued.text()))["invitation_id"])
          }
          const invitationId = path.includes("{invitationId}") ? await invite() : "inv_unknown"
          // Ids of the seeded world for the path, and a body from the document's request schema alone.
          const url = path.replace(/\{(\w+)\}/g, (_, name: string) =>
            ({ clientId: "cli_a1", projectId: "prj_a1_live", partnerOrgId: "org_a", userId: World.userId("userA"), keyId, invitationId, version: "1" })[name] ??
              `${name.replace(/Id$/, "").slice(0, 3)}_unknown`)
          // A platform user selects the world's client where the operation takes a selection.
          const selects = Array.isArray(op["parameters"]) && op["parameters"].some((p: unknown) => isRecord(p) && p["in"] === "query" && p["name"] === "client_id")
          const selection = selects ? "?client_id=cli_a1" : ""
          // An operation guarded by `If-Match` gets the draft's current ETag, read as a client would;
          // one on a version has version 1 published first, so the version it names exists.
          const draftUrl = `http://localhost/v1/projects/prj_a1_live/draft${selection}`
          const etag = async () => (await world.handler(new Request(draftUrl, { headers: bearer }))).headers.get("etag") ?? ""
          const guarded = Array.isArray(op["parameters"]) &&
            op["parameters"].some((p: unknown) => isRecord(p) && p["in"] === "header" && p["name"] === "if-match")
          if (guarded && path.includes("{version}")) {
            await world.handler(new Request(`http://localhost/v1/projects/prj_a1_live/publish${selection}`, {
              method: "POST",
              headers: { ...bearer, "content-type": "application/json", "if-match": await etag() },
              body: "{}"
            }))
          }
          const ifMatch = guarded ? { "if-match": await etag() } : {}
          const request = requestOf(op)
          // An acceptance carries the code from the link mailed to the world's user of no organisation, as the
          // invitee would read it.
          const code = async () => {
            await invite(`unaffiliated@example.com`)
            const mail = await world.run(Effect.flatMap(Outbox.Outbox, (outbox) => outbox.pending(100)))
            const link = mail.filter((m) => m.topic === Outbox.invitationTopic).map((m) => Redacted.value(m.payload)["link"]).at(-1)
            return new URL(link ?? "http://localhost/").searchParams.get("code") ?? ""
          }
          const body = request === undefined ? undefined
            : JSON.stringify(path === "/v1/invitations/accept" ? { ...Object(request.body), code: await code() } : request.body)
          const response = await world.handler(new Request(`http://localhost${url}${selection}`, {
            method,
            headers: request === undefined ? { ...bearer, ...ifMatch } : { ...bearer, ...ifMatch, "content-type": request.media },
            ...(body === undefined ? {} : { body })
          }))
          await check(`${who} ${method} ${url} ${body ?? ""} -> ${response.status}`, method, path, op, response)
          if (request !== undefined && who === "adminA") {
            // The envelope refuses a body of another media type, and one over the limit, as declared.
            const plain = await world.handler(new Request(`http://localhost${url}${selection}`, {
              method,
              headers: { ...bearer, ...ifMatch, "content-type": "text/plain" },
              body: body ?? ""
            }))
            if (plain.status !== 415) mismatches.push(`${method} ${url} as text/plain -> ${plain.status}, not 415`)
            await check(`${method} ${url} as text/plain -> ${plain.status}`, method, path, op, plain)
            const large = await world.handler(new Request(`http://localhost${url}${selection}`, {
              method,
              headers: { ...bearer, ...ifMatch, "content-type": request.media },
              body: JSON.stringify({ padding: "x".repeat(RequestBody.defaultMaxBytes) })
            }))
            if (large.status !== 413) mismatches.push(`${method} ${url} over the limit -> ${large.status}, not 413`)
            await check(`${method} ${url} over the limit -> ${large.status}`, method, path, op, large)
          }
        } finally {
          await world.dispose()
        }
      }
    }
    expect(mismatches).toEqual([])
    // Every write succeeds with a body from the document alone, so the answers checked are not only refusals.
    expect(writes.map((w) => `${w.method} ${w.path}`).filter((w) => !succeeded.has(w))).toEqual([])
    // The operations that name nothing yet declare 404 do answer it.
    for (const operation of outOfScopeAnswers404) expect(answered, operation).toContain(`${operation} 404`)
  })
})
