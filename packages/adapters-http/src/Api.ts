/** The `/v1` API: every group, composed. Adding a feature is one `.add(<Feature>Api.group)` line. */
import { HttpApi, type HttpApiGroup, OpenApi } from "@effect/platform"
import type { Audit, Clock, IdGenerator, Secrets, Storage, Team } from "@aidial/domain"
import type { Layer } from "effect"
import * as ApiKeysApi from "./ApiKeysApi.js"
import * as AuditApi from "./AuditApi.js"
import * as ClientsAdminApi from "./ClientsAdminApi.js"
import * as Failures from "./Failures.js"
import * as PartnerOrgsApi from "./PartnerOrgsApi.js"
import * as Problem from "./Problem.js"
import * as ProjectsApi from "./ProjectsApi.js"
import * as Security from "./Security.js"
import * as TeamApi from "./TeamApi.js"
import type { Authentication } from "./Authentication.js"
import * as TenancyApi from "./TenancyApi.js"

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

/** The response headers the server sends, defined once and referenced from each response. */
const headers = {
  "X-Request-Id": { description: "This request's id (also in its audit events).", schema: { type: "string", pattern: "^req_" } },
  RateLimit: {
    description: "draft-ietf-httpapi-ratelimit-headers-08: requests left in the window and seconds until it resets.",
    schema: { type: "string", example: "\"default\";r=599;t=42" }
  },
  "RateLimit-Policy": {
    description: "draft-ietf-httpapi-ratelimit-headers-08: the caller's allowance.",
    schema: { type: "string", example: "\"default\";q=600;w=60" }
  },
  "Retry-After": { description: "Seconds until the allowance is renewed.", schema: { type: "integer", minimum: 0 } },
  "WWW-Authenticate": { description: "The credentials the API takes.", schema: { type: "string" } }
} as const

const ref = (name: keyof typeof headers) => ({ $ref: `#/components/headers/${name}` })

/** Each response's headers: a request id always; the rate-limit state once the caller is known; the challenge on 401. */
const withHeaders = (status: string, response: unknown): unknown => {
  if (!isRecord(response)) return response
  const own: Record<string, unknown> = { "X-Request-Id": ref("X-Request-Id") }
  if (status === "401") own["WWW-Authenticate"] = ref("WWW-Authenticate")
  else {
    own["RateLimit"] = ref("RateLimit")
    own["RateLimit-Policy"] = ref("RateLimit-Policy")
  }
  if (status === "429") own["Retry-After"] = ref("Retry-After")
  return { ...response, headers: { ...(isRecord(response["headers"]) ? response["headers"] : {}), ...own } }
}

/**
 * Every operation takes both credentials unless it is marked `Security.bearerOnly`. Its problems are those its
 * endpoint and authentication declare (`Failures`), one schema a status listing every code, plus the request
 * envelope's: 400 for a path, query, header or body the schemas refuse, and, where there is a body, 413 and 415.
 * Every response lists its headers.
 */
const completeOperation = (operation: unknown): unknown => {
  if (!isRecord(operation)) return operation
  const declared = isRecord(operation["responses"]) ? operation["responses"] : {}
  const envelope: Array<Problem.Kind> = operation["requestBody"] === undefined
    ? ["BadRequest"]
    : ["BadRequest", "PayloadTooLarge", "UnsupportedMediaType"]
  const responses: Record<string, unknown> = { ...declared }
  for (const kind of envelope) {
    const status = String(Problem.kinds[kind].status)
    if (responses[status] === undefined) responses[status] = { description: Problem.kinds[kind].description }
  }
  return {
    ...operation,
    security: Array.isArray(operation["security"]) && operation["security"].length > 0 ? operation["security"] : Security.either,
    responses: Object.fromEntries(Object.entries(responses).map(([status, r]) => {
      const kind = Problem.kindOfStatus(Number(status))
      if (kind === undefined) return [status, withHeaders(status, r)]
      const generic = Problem.kinds[kind].code
      const listed = Failures.codesOf(r)
      const codes = [...new Set([...(envelope.includes(kind) || listed.includes(generic) ? [generic] : []), ...listed])]
      if (codes.length === 0) throw new Error(`The ${status} answer of ${String(operation["operationId"])} lists no problem code.`)
      const description = kind === "BadRequest" ? "The request was malformed (path, query, headers or body)" : Problem.kinds[kind].description
      return [status, withHeaders(status, {
        description,
        content: { [Problem.ContentType]: { schema: Failures.narrowedJson(kind, codes) } }
      })]
    }))
  }
}

/** The `$ref` targets a value mentions. */
const refsOf = (value: unknown, into: Set<string>): Set<string> => {
  if (Array.isArray(value)) for (const item of value) refsOf(item, into)
  else if (isRecord(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (key === "$ref" && typeof item === "string") into.add(item)
      else refsOf(item, into)
    }
  }
  return into
}

/** The component schemas reachable from the paths (the platform adds some no operation uses). */
const usedSchemas = (paths: unknown, schemas: Record<string, unknown>): Record<string, unknown> => {
  const prefix = "#/components/schemas/"
  const used = new Set<string>()
  let frontier = [...refsOf(paths, new Set())]
  while (frontier.length > 0) {
    const next: Array<string> = []
    for (const r of frontier) {
      if (!r.startsWith(prefix) || used.has(r.slice(prefix.length))) continue
      const name = r.slice(prefix.length)
      used.add(name)
      next.push(...refsOf(schemas[name], new Set()))
    }
    frontier = next
  }
  return Object.fromEntries(Object.entries(schemas).filter(([name]) => used.has(name)))
}

/**
 * Completes the generated document: the credentials of each operation, the 400 problem, response headers,
 * where the reference server runs, the license, and no component that nothing uses.
 */
const complete = (spec: Record<string, unknown>): Record<string, unknown> => {
  const components = isRecord(spec["components"]) ? spec["components"] : {}
  const paths = Object.fromEntries(
    Object.entries(isRecord(spec["paths"]) ? spec["paths"] : {}).map(([path, item]) => [
      path,
      isRecord(item) ? Object.fromEntries(Object.entries(item).map(([method, op]) => [method, completeOperation(op)])) : item
    ])
  )
  const schemas = isRecord(components["schemas"]) ? components["schemas"] : {}
  return {
    ...spec,
    info: { ...(isRecord(spec["info"]) ? spec["info"] : {}), license: { name: "Proprietary (AiDial)", identifier: "LicenseRef-AiDial-Proprietary" } },
    servers: [{ url: "http://127.0.0.1:8787", description: "The reference server in development (npm start)" }],
    components: { ...components, schemas: usedSchemas(paths, schemas), headers, securitySchemes: Security.schemes },
    security: Security.either,
    paths
  }
}

const description = [
  "The AiDial partner API. Errors are RFC 9457 `application/problem+json` with a stable `code`; every response",
  "carries `X-Request-Id`, and every authenticated one `RateLimit` and `RateLimit-Policy`.",
  "",
  "**Credentials.** An `X-API-Key` header, when present, alone decides; otherwise `Authorization: Bearer <JWT>`.",
  "In development the reference server (`npm start`) prints a bearer token for every demo user",
  "(`export TOKEN_ACME_ADMIN=...`) and, on its first start, two demo API keys (`export AIDIAL_KEY_LIVE=...`).",
  "Create another key with `POST /v1/clients/{clientId}/api-keys` and a bearer token (the plaintext is in that",
  "answer only). In production bearer tokens come from the identity provider (`AIDIAL_JWKS_URL`)."
].join("\n")

export class Api extends HttpApi.make("aidial")
  .add(TenancyApi.group)
  .add(ProjectsApi.group)
  .add(PartnerOrgsApi.group)
  .add(TeamApi.group)
  .add(ClientsAdminApi.group)
  .add(AuditApi.group)
  .add(ApiKeysApi.group)
  .prefix("/v1")
  .annotate(HttpApi.AdditionalSchemas, Object.values(Problem.schemas))
  .annotateContext(OpenApi.annotations({
    title: "AiDial partner API",
    version: "1",
    description,
    transform: complete
  }))
{}

/**
 * What a group's handlers may use, written once: every storage port, ids, the clock, secrets, how
 * invitations are made, the principal the middleware provides and the request's id (`RequestContext.layerCurrentRequest`). Each `<Feature>Http`
 * layer is a `Group` over it, and `Http.Requirements` derives from the groups and the middleware.
 */
export type Handlers =
  | Storage
  | IdGenerator.IdGenerator
  | Clock.Clock
  | Secrets.Secrets
  | Team.InvitationSettings
  | Authentication
  | Audit.CurrentRequest

/** The handlers of one group of `Api`. */
export type Group<Name extends string> = Layer.Layer<HttpApiGroup.ApiGroup<"aidial", Name>, never, Handlers>
