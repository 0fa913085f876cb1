/**
 * The framework's ceilings: an HttpApi with the one endpoint `GET /v1/projects` returning a constant body,
 * served the way the reference server serves its routes; and the same endpoint behind the plumbing every
 * authenticated route of the reference server has, doing no work: an API-wide middleware that sets a header
 * and a fiber-local value (as the request envelope does), and an endpoint middleware that provides a
 * constant service (as `Authentication` provides the principal). `PlatformServer` serves them on node:http;
 * the per-stage table calls them in process through `HttpApiBuilder.toWebHandler`.
 */
import {
  HttpApi,
  HttpApiBuilder,
  HttpApiEndpoint,
  HttpApiGroup,
  HttpApiMiddleware,
  HttpServerResponse
} from "@effect/platform"
import { Context, Effect, FiberRef, Layer, Schema } from "effect"

class Ceiling extends HttpApiGroup.make("ceiling").add(
  HttpApiEndpoint.get("projects", "/v1/projects").addSuccess(Schema.Unknown)
) {}

/** The one-endpoint API answering `json` (already parsed) to every `GET /v1/projects`. */
export const layer = (json: unknown): Layer.Layer<HttpApi.Api> => {
  const api = HttpApi.make("ceiling").add(Ceiling)
  const handlers = HttpApiBuilder.group(api, "ceiling", (h) => h.handle("projects", () => Effect.succeed(json)))
  return HttpApiBuilder.api(api).pipe(Layer.provide(handlers))
}

class Provided extends Context.Tag("bench/Provided")<Provided, { readonly id: string }>() {}
class Provides extends HttpApiMiddleware.Tag<Provides>()("bench/Provides", { provides: Provided }) {}

class Plumbed extends HttpApiGroup.make("plumbed").add(
  HttpApiEndpoint.get("projects", "/v1/projects").addSuccess(Schema.Unknown)
).middleware(Provides) {}

const local = FiberRef.unsafeMake("")

/** The same endpoint behind the reference server's plumbing (an envelope and a providing middleware), doing no work. */
export const layerPlumbed = (json: unknown): Layer.Layer<HttpApi.Api> => {
  const api = HttpApi.make("plumbed").add(Plumbed)
  const handlers = HttpApiBuilder.group(api, "plumbed", (h) =>
    h.handle("projects", () => Effect.as(Provided, json)))
  const envelope = HttpApiBuilder.middleware((app) =>
    Effect.zipRight(FiberRef.set(local, "constant"), Effect.map(app, (response) => HttpServerResponse.setHeader(response, "x-request-id", "constant")))
  )
  return Layer.mergeAll(HttpApiBuilder.api(api), envelope).pipe(
    Layer.provide(handlers),
    Layer.provide(Layer.succeed(Provides, Effect.succeed(Provided.of({ id: "provided" }))))
  )
}
