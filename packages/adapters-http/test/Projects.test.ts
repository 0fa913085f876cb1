import { AuditLog } from "@aidial/domain"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as ClockedWorld from "./ClockedWorld.js"
import * as World from "./World.js"

type Api = ClockedWorld.Api
type Credential = { readonly bearer: keyof typeof World.subjects } | { readonly key: string }

interface Options {
  readonly body?: unknown
  readonly raw?: string
  readonly ifMatch?: string
  readonly contentType?: string
}

const call = async (api: Api, as: Credential, method: string, path: string, options: Options = {}): Promise<Response> => {
  const headers: Record<string, string> = {}
  if ("bearer" in as) headers["authorization"] = `Bearer ${await ClockedWorld.sign(as.bearer)}`
  else headers["x-api-key"] = as.key
  if (options.ifMatch !== undefined) headers["if-match"] = options.ifMatch
  const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body))
  if (body !== undefined) headers["content-type"] = options.contentType ?? "application/json"
  return api.handler(new Request(`http://localhost${path}`, { method, headers, ...(body === undefined ? {} : { body }) }))
}

const json = async (response: Response): Promise<Record<string, unknown>> => {
  const parsed: unknown = JSON.parse(await response.text())
  if (typeof parsed !== "object" || parsed === null) throw new Error("not an object")
  return Object.fromEntries(Object.entries(parsed))
}

const problem = async (response: Response, status: number, code: string) => {
  const body = await json(response)
  expect({ status: response.status, type: response.headers.get("content-type"), code: body["code"] })
    .toEqual({ status, type: "application/problem+json", code })
  return body
}

const text = (value: unknown): string => {
  if (typeof value !== "string") throw new Error(`expected a string, got ${JSON.stringify(value)}`)
  return value
}

const adminA = { bearer: "adminA" } as const
const platformAdmin = { bearer: "platformAdmin" } as const
const mergePatch = "application/merge-patch+json"

const patch = (api: Api, as: Credential, projectId: string, body: unknown, ifMatch?: string) =>
  call(api, as, "PATCH", `/v1/projects/${projectId}/draft`, {
    body,
    contentType: mergePatch,
    ...(ifMatch === undefined ? {} : { ifMatch })
  })

const createProject = async (api: Api, as: Credential = adminA, body: Record<string, unknown> = {}) => {
  const response = await call(api, as, "POST", "/v1/projects", {
    body: { client_id: "cli_a1", display_name: "Front desk", timezone: "Australia/Sydney", environment: "live", ...body }
  })
  expect(response.status).toBe(201)
  return text((await json(response))["project_id"])
}

const manageKey = async (api: Api, clientId = "cli_a1") => {
  const response = await call(api, adminA, "POST", `/v1/clients/${clientId}/api-keys`, {
    body: { name: "Deploys", scope: "manage", environment: "live" }
  })
  expect(response.status).toBe(201)
  return { key: text((await json(response))["plaintext"]) }
}

describe("projects over HTTP", () => {
  let api: Api
  beforeAll(async () => {
    api = await ClockedWorld.open()
  })
  afterAll(() => api.close())

  it("edits the draft under If-Match, publishes, lists, diffs and restores versions, and audits every mutation", async () => {
    const id = await createProject(api)
    const initial = await call(api, adminA, "GET", `/v1/projects/${id}/draft`)
    expect(initial.status).toBe(200)
    expect(initial.headers.get("etag")).toBe('"0"')
    expect(await json(initial)).toMatchObject({ revision: 0, restored_from: null })

    await problem(await patch(api, adminA, id, { agent: { instructions: "Greet callers." } }), 428, "if_match_required")

    const first = await patch(api, adminA, id, { agent: { instructions: "Greet callers." } }, '"0"')
    expect(first.status).toBe(200)
    expect(first.headers.get("etag")).toBe('"1"')
    expect(await json(first)).toMatchObject({ revision: 1, document: { agent: { instructions: "Greet callers." } } })

    const stale = await problem(await patch(api, adminA, id, { agent: { voice: "aria" } }, '"0"'), 412, "stale_revision")
    expect(stale["current_revision"]).toBe(1)

    const invalid = await problem(
      await patch(api, adminA, id, { agent: { language: "not a tag!", voice: "" }, extra: 1 }, '"1"'),
      422,
      "invalid_configuration"
    )
    expect(invalid["errors"]).toEqual(expect.arrayContaining([
      expect.objectContaining({ pointer: "/agent/language", code: "invalid_language_tag" }),
      expect.objectContaining({ pointer: "/agent/voice", code: "too_short" }),
      expect.objectContaining({ pointer: "/extra", code: "unknown_field" })
    ]))
    expect((await call(api, adminA, "GET", `/v1/projects/${id}/draft`)).headers.get("etag")).toBe('"1"')

    const v1 = await call(api, adminA, "POST", `/v1/projects/${id}/publish`, { body: { note: "first" }, ifMatch: '"1"' })
    expect(v1.status).toBe(201)
    const v1Body = await json(v1)
    expect(v1Body).toMatchObject({ version: 1, revision: 1, note: "first", live: true })
    await problem(await call(api, adminA, "POST", `/v1/projects/${id}/publish`, { body: {}, ifMatch: '"1"' }), 409, "nothing_to_publish")

    expect((await patch(api, adminA, id, { agent: { first_message: "Hello!" } }, '"1"')).status).toBe(200)
    expect((await call(api, adminA, "POST", `/v1/projects/${id}/publish`, { body: {}, ifMatch: '"2"' })).status).toBe(201)

    const versions = await json(await call(api, adminA, "GET", `/v1/projects/${id}/versions`))
    expect(versions["versions"]).toEqual([
      expect.objectContaining({ version: 1, live: false }),
      expect.objectContaining({ version: 2, live: true })
    ])
    const one = await json(await call(api, adminA, "GET", `/v1/projects/${id}/versions/1`))
    expect(one).toMatchObject({ version: 1, content_hash: v1Body["content_hash"], document: { agent: { first_message: "" } } })
    await problem(await call(api, adminA, "GET", `/v1/projects/${id}/versions/9`), 404, "not_found")

    const diff = await json(await call(api, adminA, "GET", `/v1/projects/${id}/diff?from=1&to=2`))
    expect(diff).toEqual({ from: "1", to: "2", operations: [{ op: "replace", path: "/agent/first_message", value: "Hello!" }] })
    expect((await json(await call(api, adminA, "GET", `/v1/projects/${id}/diff?from=draft&to=live`)))["operations"]).toEqual([])

    await problem(await call(api, adminA, "POST", `/v1/projects/${id}/versions/1/restore`), 428, "if_match_required")
    const restored = await call(api, adminA, "POST", `/v1/projects/${id}/versions/1/restore`, { ifMatch: '"2"' })
    expect(restored.headers.get("etag")).toBe('"3"')
    expect(await json(restored)).toMatchObject({ revision: 3, restored_from: 1, document: { agent: { first_message: "" } } })
    expect((await json(await call(api, adminA, "GET", `/v1/projects/${id}/diff?from=live&to=draft`)))["operations"])
      .toEqual([{ op: "replace", path: "/agent/first_message", value: "" }])
    const v3 = await json(await call(api, adminA, "POST", `/v1/projects/${id}/publish`, { body: {}, ifMatch: '"3"' }))
    expect(v3).toMatchObject({ version: 3, content_hash: v1Body["content_hash"] })

    const events = await api.run(Effect.flatMap(AuditLog.AuditLog, (log) => log.query({}, { after: null, limit: 1000 })))
    expect(events.items.filter((e) => e.targetId === id).map((e) => e.action)).toEqual([
      "project.create",
      "project.draft.edit",
      "project.publish",
      "project.draft.edit",
      "project.publish",
      "project.restore",
      "project.publish"
    ])
  })

  it("refuses a draft edit sent as application/json (415) and a document over the size cap (413), changing nothing", async () => {
    const id = await createProject(api)
    const asJson = await call(api, adminA, "PATCH", `/v1/projects/${id}/draft`, { body: { agent: { voice: "x" } }, ifMatch: '"0"' })
    await problem(asJson, 415, "unsupported_media_type")
    const huge = await patch(api, adminA, id, { agent: { instructions: "x".repeat(20_000) }, padding: "y".repeat(70_000) }, '"0"')
    await problem(huge, 413, "configuration_too_large")
    expect((await call(api, adminA, "GET", `/v1/projects/${id}/draft`)).headers.get("etag")).toBe('"0"')
  })

  it("validates as a dry run, listing every error and saving nothing", async () => {
    const id = await createProject(api)
    const report = await json(await call(api, adminA, "POST", `/v1/projects/${id}/draft/validate`, {
      body: { patch: { agent: { model: "" }, telephony: { phone_number_ids: [], caller_id: "12345" } } }
    }))
    expect(report).toEqual({ valid: false, errors: expect.arrayContaining([expect.objectContaining({ pointer: "/agent/model" })]) })
    expect(await json(await call(api, adminA, "POST", `/v1/projects/${id}/draft/validate`, { body: {} })))
      .toEqual({ valid: true, errors: [] })
    expect((await call(api, adminA, "GET", `/v1/projects/${id}/draft`)).headers.get("etag")).toBe('"0"')
  })

  it("lets only aidial_admin enable runtime domains, bearer only; API keys never write portal-managed domains", async () => {
    const id = await createProject(api)
    const limits = { call_limits: { max_concurrent_calls: 4, max_call_minutes: 20, daily_call_cap: 300 } }
    await problem(await patch(api, adminA, id, limits, '"0"'), 403, "domain_not_enabled")

    expect(await json(await call(api, adminA, "GET", "/v1/clients/cli_a1/entitlements")))
      .toMatchObject({ client_id: "cli_a1", enabled: ["agent"] })
    await problem(await call(api, adminA, "PUT", "/v1/clients/cli_a1/entitlements", { body: { enabled: ["call_limits"] } }), 403, "forbidden")
    const set = await call(api, platformAdmin, "PUT", "/v1/clients/cli_a1/entitlements", {
      body: { enabled: ["call_limits", "knowledge"] }
    })
    expect(await json(set)).toMatchObject({ enabled: ["agent", "knowledge", "call_limits"] })

    expect((await patch(api, adminA, id, limits, '"0"')).status).toBe(200)

    const key = await manageKey(api)
    await problem(await patch(api, key, id, { call_limits: { ...limits.call_limits, daily_call_cap: 9 } }, '"1"'), 403, "bearer_only_domain")
    expect((await patch(api, key, id, { knowledge: { knowledge_base_ids: ["kb_faq"] } }, '"1"')).status).toBe(200)
    await problem(await call(api, key, "GET", "/v1/clients/cli_a1/entitlements"), 403, "forbidden")
    await problem(await call(api, key, "PUT", "/v1/clients/cli_a1/entitlements", { body: { enabled: [] } }), 403, "forbidden")
  })

  it("lets a manage key create and edit projects in its own client and environment only; others are 404", async () => {
    const key = await manageKey(api)
    const id = await createProject(api, key, { client_id: undefined, environment: undefined })
    const project = await json(await call(api, key, "GET", `/v1/projects/${id}`))
    expect(project).toMatchObject({ client_id: "cli_a1", environment: "live", is_active: true })
    const renamed = await call(api, key, "PATCH", `/v1/projects/${id}`, { body: { display_name: "Renamed", is_active: false } })
    expect(await json(renamed)).toMatchObject({ display_name: "Renamed", is_active: false })
    await problem(await patch(api, key, "prj_a1_test", { agent: { voice: "x" } }, '"0"'), 404, "not_found")
    await problem(await patch(api, key, "prj_b1_live", { agent: { voice: "x" } }, '"0"'), 404, "not_found")
    await problem(await call(api, key, "POST", "/v1/projects", {
      body: { client_id: "cli_a1", environment: "test", display_name: "Other env", timezone: "UTC" }
    }), 404, "not_found")
    await problem(await call(api, { bearer: "userA" }, "PATCH", `/v1/projects/${id}`, { body: { display_name: "x" } }), 403, "forbidden")
  })

  it("documents every project route in the OpenAPI document", async () => {
    const spec = await json(await api.handler(new Request("http://localhost/v1/openapi.json")))
    const paths = Object.keys(Object(spec["paths"]))
    expect(paths).toEqual(expect.arrayContaining([
      "/v1/projects",
      "/v1/projects/{projectId}",
      "/v1/projects/{projectId}/draft",
      "/v1/projects/{projectId}/draft/validate",
      "/v1/projects/{projectId}/publish",
      "/v1/projects/{projectId}/versions",
      "/v1/projects/{projectId}/versions/{version}",
      "/v1/projects/{projectId}/diff",
      "/v1/projects/{projectId}/versions/{version}/restore",
      "/v1/clients/{clientId}/entitlements"
    ]))
    const draftPatch = Reflect.get(Object(Reflect.get(Object(spec["paths"]), "/v1/projects/{projectId}/draft")), "patch")
    expect(Object.keys(Object(Reflect.get(Object(Reflect.get(Object(draftPatch), "requestBody")), "content")))).toEqual([mergePatch])
  })
})
