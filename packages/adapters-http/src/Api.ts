/** The `/v1` API: every group, composed. Adding a feature is one `.add(<Feature>Api.group)` line. */
import { HttpApi, OpenApi } from "@effect/platform"
import * as TenancyApi from "./TenancyApi.js"

const securitySchemes = {
  ApiKey: { type: "apiKey", in: "header", name: "X-API-Key", description: "Server-to-server integrations." },
  Bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "Portal sessions (via the portal server)." }
}

/** Documents both credentials; if `X-API-Key` is present it alone decides, else the bearer token. */
const documentSecurity = (spec: Record<string, unknown>): Record<string, unknown> => {
  const components = typeof spec["components"] === "object" && spec["components"] !== null ? spec["components"] : {}
  return {
    ...spec,
    components: { ...components, securitySchemes },
    security: [{ ApiKey: [] }, { Bearer: [] }]
  }
}

export class Api extends HttpApi.make("aidial")
  .add(TenancyApi.group)
  .prefix("/v1")
  .annotateContext(OpenApi.annotations({
    title: "AiDial partner API",
    version: "1",
    description: "Errors are RFC 9457 application/problem+json with a stable `code`; every response carries X-Request-Id.",
    transform: documentSecurity
  }))
{}
