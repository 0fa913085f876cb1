/**
 * Missing and out of scope take the same storage path: every route that takes an id is called twice by
 * the same caller, once with an id that does not exist and once with the id of something outside its
 * scope, and the sequence of port calls (recorded by a proxy over every port) must be the same, as must
 * the 404 answers. Same calls in the same order leaves no timing signal worth measuring.
 */
import { Problem } from "@aidial/adapters-http"
import {
  ApiKeyRepo,
  ApiKeyUsage,
  AssignmentRepo,
  AuditLog,
  ClientRepo,
  DraftRepo,
  EntitlementRepo,
  InvitationRepo,
  MemberActivity,
  MembershipRepo,
  Outbox,
  PartnerOrgRepo,
  ProjectRepo,
  Transactor,
  UserRepo,
  VersionRepo
} from "@aidial/domain"
import { OpenApi } from "@effect/platform"
import { Api } from "@aidial/adapters-http"
import { Recording } from "@aidial/testkit"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { open, sign } from "./ClockedWorld.js"
import * as World from "./World.js"

const log = Recording.makeLog()
let handler: (request: Request) => Promise<Response> = () => Promise.reject(new Error("not started"))
let close: () => Promise<void> = () => Promise.resolve()

beforeAll(async () => {
  const api = await open({
    serve: (built) =>
      built.pipe(
        Recording.record(ClientRepo.ClientRepo, log),
        Recording.record(ProjectRepo.ProjectRepo, log),
        Recording.record(PartnerOrgRepo.PartnerOrgRepo, log),
        Recording.record(UserRepo.UserRepo, log),
        Recording.record(MembershipRepo.MembershipRepo, log),
        Recording.record(AssignmentRepo.AssignmentRepo, log),
        Recording.record(ApiKeyRepo.ApiKeyRepo, log),
        Recording.record(ApiKeyUsage.ApiKeyUsage, log),
        Recording.record(AuditLog.AuditLog, log),
        Recording.record(Transactor.Transactor, log),
        Recording.record(InvitationRepo.InvitationRepo, log),
        Recording.record(Outbox.Outbox, log),
        Recording.record(MemberActivity.MemberActivity, log),
        Recording.record(DraftRepo.DraftRepo, log),
        Recording.record(VersionRepo.VersionRepo, log),
        Recording.record(EntitlementRepo.EntitlementRepo, log)
      )
  })
  handler = api.handler
  close = api.close
})
afterAll(() => close())

const call = async (
  who: keyof typeof World.subjects,
  method: string,
  path: string,
  body?: unknown,
  contentType = "application/json",
  extra: Record<string, string> = {}
) => {
  const headers: Record<string, string> = { ...extra, authorization: `Bearer ${await sign(who)}` }
  if (body !== undefined) headers["content-type"] = contentType
  return handler(new Request(`http://localhost${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }))
}

const idOf = async (response: Response, field: string): Promise<string> => {
  const body: unknown = await response.json()
  const value: unknown = typeof body === "object" && body !== null ? Reflect.get(body, field) : undefined
  const nested: unknown = typeof value === "object" && value !== null ? Reflect.get(value, "key_id") : value
  if (typeof nested !== "string") throw new Error(`no ${field} in ${JSON.stringify(body)}`)
  return nested
}

/** For each path parameter: an id in adminA's scope, one that does not exist, and one that exists outside it. */
const ids: Record<string, { in: string; missing: string; foreign: string }> = {
  clientId: { in: World.ids.clientA1, missing: "cli_missing", foreign: World.ids.clientB1 },
  partnerOrgId: { in: World.ids.orgA, missing: "org_missing", foreign: World.ids.orgB },
  projectId: { in: World.ids.projectA1Live, missing: "prj_missing", foreign: World.ids.projectB1Live },
  userId: { in: World.userId("userA"), missing: "usr_missing", foreign: World.userId("userB") },
  keyId: { in: "", missing: "key_0000000000000000", foreign: "" },
  invitationId: { in: "", missing: "inv_missing", foreign: "" }
}

beforeAll(async () => {
  const keyBody = { name: "k", scope: "read", environment: "live" }
  ids["keyId"] = {
    in: await idOf(await call("adminA", "POST", `/v1/clients/${World.ids.clientA1}/api-keys`, keyBody), "api_key"),
    missing: "key_0000000000000000",
    // Another client's key, addressed under the caller's own client.
    foreign: await idOf(await call("adminA", "POST", `/v1/clients/${World.ids.clientA2}/api-keys`, keyBody), "api_key")
  }
  ids["invitationId"] = {
    in: await idOf(await call("adminA", "POST", `/v1/partner-orgs/${World.ids.orgA}/invitations`, { email: "in@example.com", role: "partner_user" }), "invitation_id"),
    missing: "inv_missing",
    foreign: await idOf(await call("adminB", "POST", `/v1/partner-orgs/${World.ids.orgB}/invitations`, { email: "out@example.com", role: "partner_user" }), "invitation_id")
  }
})

/** A body each route accepts, so the request reaches the scope decision. */
const bodies: Record<string, { readonly body?: unknown; readonly contentType?: string; readonly headers?: Record<string, string>; readonly query?: string }> = {
  "POST /v1/clients/{clientId}/api-keys": { body: { name: "k", scope: "read", environment: "live" } },
  "POST /v1/clients/{clientId}/api-keys/{keyId}/rotate": { body: {} },
  "POST /v1/clients/{clientId}/api-keys/{keyId}/revoke": { body: { reason: "r" } },
  "PATCH /v1/clients/{clientId}": { body: { name: "n" } },
  "PATCH /v1/partner-orgs/{partnerOrgId}": { body: { name: "n" } },
  "PATCH /v1/partner-orgs/{partnerOrgId}/members/{userId}": { body: { role: "partner_user" } },
  "POST /v1/partner-orgs/{partnerOrgId}/invitations": { body: { email: "x@example.com", role: "partner_user" } },
  "PATCH /v1/projects/{projectId}": { body: { display_name: "n" } },
  "PATCH /v1/projects/{projectId}/draft": { body: {}, contentType: "application/merge-patch+json", headers: { "if-match": "\"0\"" } },
  "POST /v1/projects/{projectId}/versions/{version}/restore": { headers: { "if-match": "\"0\"" } },
  "POST /v1/projects/{projectId}/draft/validate": { body: {} },
  "POST /v1/projects/{projectId}/publish": { body: {}, headers: { "if-match": "\"0\"" } },
  "PUT /v1/clients/{clientId}/entitlements": { body: { enabled: [] } },
  "GET /v1/projects/{projectId}/diff": { query: "?from=draft&to=live" }
}

/** Every route with an id in its path, from the OpenAPI document. */
const routes = (() => {
  const out: Array<{ readonly method: string; readonly path: string; readonly params: ReadonlyArray<string> }> = []
  for (const [path, item] of Object.entries(OpenApi.fromApi(Api.Api).paths)) {
    const params = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? "")
    if (params.length === 0) continue
    for (const method of Object.keys(item)) {
      if (["get", "post", "put", "patch", "delete"].includes(method)) out.push({ method: method.toUpperCase(), path, params })
    }
  }
  return out
})()

const fill = (path: string, values: Record<string, string>) => path.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? "1")

const recorded = async (method: string, path: string, route: string, who: keyof typeof World.subjects = "adminA", selection = "") => {
  const entry = bodies[`${method} ${route}`]
  const query = entry?.query === undefined ? (selection === "" ? "" : `?${selection}`) : `${entry.query}${selection === "" ? "" : `&${selection}`}`
  log.calls.length = 0
  const response = await call(who, method, `${path}${query}`, entry?.body, entry?.contentType, entry?.headers)
  const calls = [...log.calls]
  return { status: response.status, body: Problem.ContentType === response.headers.get("content-type") ? await response.text() : "", calls }
}

describe("missing and out of scope", () => {
  it("covers every route with an id", () => {
    expect(routes.length).toBeGreaterThanOrEqual(25)
    for (const route of routes) for (const p of route.params) expect(p === "version" || p in ids).toBe(true)
  })

  it("take the same sequence of storage calls and get the same 404 on every route with an id", async () => {
    const differences: Array<unknown> = []
    for (const route of routes) {
      for (const param of route.params) {
        const id = ids[param]
        if (id === undefined) continue
        const base: Record<string, string> = Object.fromEntries(route.params.map((p) => [p, ids[p]?.in ?? "1"]))
        const missing = await recorded(route.method, fill(route.path, { ...base, [param]: id.missing }), route.path)
        const foreign = await recorded(route.method, fill(route.path, { ...base, [param]: id.foreign }), route.path)
        expect({ route: `${route.method} ${route.path}`, param, status: missing.status }).toEqual({
          route: `${route.method} ${route.path}`,
          param,
          status: 404
        })
        expect({ route: `${route.method} ${route.path}`, param, body: foreign.body, status: foreign.status }).toEqual({
          route: `${route.method} ${route.path}`,
          param,
          body: missing.body,
          status: 404
        })
        // A client, project or key is read within the caller's scope, so one out of scope is never read as a row.
        const scoped = param === "clientId"
          ? "ClientRepo.getWithin"
          : param === "projectId"
          ? "ProjectRepo.getWithin"
          : param === "keyId"
          ? "ApiKeyRepo.getWithin"
          : null
        if (scoped !== null) expect({ route: `${route.method} ${route.path}`, param, calls: missing.calls }).toEqual({
          route: `${route.method} ${route.path}`,
          param,
          calls: expect.arrayContaining([scoped])
        })
        if (JSON.stringify(missing.calls) !== JSON.stringify(foreign.calls)) {
          differences.push({ route: `${route.method} ${route.path}`, param, missing: missing.calls, foreign: foreign.calls })
        }
      }
    }
    expect(differences).toEqual([])
  })

  it("take the same storage calls for a platform admin reading a project outside the selected client", async () => {
    const projectRoutes = routes.filter((r) => r.params.includes("projectId"))
    expect(projectRoutes.length).toBeGreaterThanOrEqual(8)
    for (const route of projectRoutes) {
      const base = { projectId: "", version: "1" }
      const selection = `client_id=${World.ids.clientA1}`
      const missing = await recorded(route.method, fill(route.path, { ...base, projectId: "prj_missing" }), route.path, "platformAdmin", selection)
      const foreign = await recorded(route.method, fill(route.path, { ...base, projectId: World.ids.projectB1Live }), route.path, "platformAdmin", selection)
      expect({ route: `${route.method} ${route.path}`, status: missing.status }).toEqual({ route: `${route.method} ${route.path}`, status: 404 })
      expect({ route: `${route.method} ${route.path}`, body: foreign.body, calls: foreign.calls }).toEqual({
        route: `${route.method} ${route.path}`,
        body: missing.body,
        calls: missing.calls
      })
      expect(missing.calls).toContain("ProjectRepo.getWithin")
    }
  })
})
