/**
 * The framework's ceiling: an HttpApi with the one endpoint `GET /v1/projects` returning a constant body,
 * served the way the reference server serves its routes. `PlatformServer` serves it on node:http; the
 * per-stage table calls it in process through `HttpApiBuilder.toWebHandler`.
 */
import { HttpApi, HttpApiBuilder, HttpApiEndpoint, HttpApiGroup } from "@effect/platform"
import { Effect, Layer, Schema } from "effect"

class Ceiling extends HttpApiGroup.make("ceiling").add(
  HttpApiEndpoint.get("projects", "/v1/projects").addSuccess(Schema.Unknown)
) {}

/** The one-endpoint API answering `json` (already parsed) to every `GET /v1/projects`. */
export const layer = (json: unknown): Layer.Layer<HttpApi.Api> => {
  const api = HttpApi.make("ceiling").add(Ceiling)
  const handlers = HttpApiBuilder.group(api, "ceiling", (h) => h.handle("projects", () => Effect.succeed(json)))
  return HttpApiBuilder.api(api).pipe(Layer.provide(handlers))
}
