/** The `/v1` API: every group, composed. Adding a feature is one `.add(<Feature>Api.group)` line. */
import { HttpApi, OpenApi } from "@effect/platform"
import * as ApiKeysApi from "./ApiKeysApi.js"
import * as AuditApi from "./AuditApi.js"
import * as ClientsAdminApi from "./ClientsAdminApi.js"
import * as PartnerOrgsApi from "./PartnerOrgsApi.js"
import * as ProjectsApi from "./ProjectsApi.js"
import * as TeamApi from "./TeamApi.js"
import * as TenancyApi from "./TenancyApi.js"

const securitySchemes = {
  ApiKey: { type: "apiKey", in: "header", name: "X-API-Key", description: "Server-to-server integrations." },
  Bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "Portal sessions (via the portal server)." }
}

const security = [{ ApiKey: [] }, { Bearer: [] }]

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

const badRequest = {
  description: "The request was malformed (path, query, headers or body)",
  content: { "application/problem+json": { schema: { $ref: "#/components/schemas/BadRequest" } } }
}

/** Every operation takes both credentials, and schema decode failures are answered as the 400 problem. */
const withSecurity = (operation: unknown): unknown => {
  if (!isRecord(operation)) return operation
  const responses = isRecord(operation["responses"]) ? operation["responses"] : {}
  return { ...operation, security, responses: { ...responses, "400": badRequest } }
}

/** Documents both credentials on every operation; if `X-API-Key` is present it alone decides, else the bearer token. */
const documentSecurity = (spec: Record<string, unknown>): Record<string, unknown> => {
  const components = isRecord(spec["components"]) ? spec["components"] : {}
  const paths = isRecord(spec["paths"]) ? spec["paths"] : {}
  return {
    ...spec,
    components: { ...components, securitySchemes },
    security,
    paths: Object.fromEntries(
      Object.entries(paths).map(([path, item]) => [
        path,
        isRecord(item) ? Object.fromEntries(Object.entries(item).map(([method, op]) => [method, withSecurity(op)])) : item
      ])
    )
  }
}

export class Api extends HttpApi.make("aidial")
  .add(TenancyApi.group)
  .add(ProjectsApi.group)
  .add(PartnerOrgsApi.group)
  .add(TeamApi.group)
  .add(ClientsAdminApi.group)
  .add(AuditApi.group)
  .add(ApiKeysApi.group)
  .prefix("/v1")
  .annotateContext(OpenApi.annotations({
    title: "AiDial partner API",
    version: "1",
    description: "Errors are RFC 9457 application/problem+json with a stable `code`; every response carries X-Request-Id.",
    transform: documentSecurity
  }))
{}
