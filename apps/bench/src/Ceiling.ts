/**
 * The framework's ceilings: an HttpApi with the one endpoint `GET /v1/projects` returning a constant body,
 * served the way the reference server serves its routes; and the same endpoint behind the plumbing every
 * authenticated route of the reference server has, doing no work: an API-wide middleware that sets a header
 * and a fiber-local value (as the request envelope does), and two endpoint middlewares that each provide a
 * constant service (as `RequestContext` and `Authentication` do). `PlatformServer` serves them on node:http;
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

class First extends Context.Tag("bench/First")<First, { readonly id: string }>() {}
class Second extends Context.Tag("bench/Second")<Second, { readonly id: string }>() {}
class ProvidesFirst extends HttpApiMiddleware.Tag<ProvidesFirst>()("bench/ProvidesFirst", { provides: First }) {}
class ProvidesSecond extends HttpApiMiddleware.Tag<ProvidesSecond>()("bench/ProvidesSecond", { provides: Second }) {}

class Plumbed extends HttpApiGroup.make("plumbed").add(
  HttpApiEndpoint.get("projects", "/v1/projects").addSuccess(Schema.Unknown)
).middleware(ProvidesFirst).middleware(ProvidesSecond) {}

const local = FiberRef.unsafeMake("")

/** The same endpoint behind the reference server's plumbing (an envelope and two providing middlewares), doing no work. */
export const layerPlumbed = (json: unknown): Layer.Layer<HttpApi.Api> => {
  const api = HttpApi.make("plumbed").add(Plumbed)
  const handlers = HttpApiBuilder.group(api, "plumbed", (h) =>
    h.handle("projects", () => Effect.zipRight(Effect.all([First, Second]), Effect.succeed(json))))
  const envelope = HttpApiBuilder.middleware((app) =>
    Effect.locally(Effect.map(app, (response) => HttpServerResponse.setHeader(response, "x-request-id", "constant")), local, "constant")
  )
  return Layer.mergeAll(HttpApiBuilder.api(api), envelope).pipe(
    Layer.provide(handlers),
    Layer.provide(Layer.succeed(ProvidesFirst, Effect.succeed(First.of({ id: "first" })))),
    Layer.provide(Layer.succeed(ProvidesSecond, Effect.succeed(Second.of({ id: "second" }))))
  )
}
