/**
 * The whole `/v1` API as one layer over the domain ports (storage is the caller's choice), plus
 * `/v1/openapi.json` and the `/v1/docs` page.
 */
import {
  Etag,
  FileSystem,
  type HttpApi,
  HttpApiBuilder,
  HttpApiScalar,
  HttpMiddleware,
  HttpPlatform,
  type HttpRouter,
  HttpServer,
  Path
} from "@effect/platform"
import type { Audit } from "@aidial/domain"
import { Context, Effect, Layer, Scope } from "effect"
import { Api, type Handlers } from "./Api.js"
import * as ApiKeysHttp from "./ApiKeysHttp.js"
import * as AuditHttp from "./AuditHttp.js"
import * as Authentication from "./Authentication.js"
import * as ClientsAdminHttp from "./ClientsAdminHttp.js"
import * as PartnerOrgsHttp from "./PartnerOrgsHttp.js"
import * as ProjectsHttp from "./ProjectsHttp.js"
import * as RequestBody from "./RequestBody.js"
import * as RequestContext from "./RequestContext.js"
import * as Routes from "./Routes.js"
import * as TeamHttp from "./TeamHttp.js"
import * as TenancyHttp from "./TenancyHttp.js"

/** Every group's handlers; adding a feature is one line here. */
const groups = Layer.mergeAll(
  TenancyHttp.layer,
  ProjectsHttp.layer,
  PartnerOrgsHttp.layer,
  TeamHttp.layer,
  ClientsAdminHttp.layer,
  AuditHttp.layer,
  ApiKeysHttp.layer
)

const middleware = Layer.mergeAll(Authentication.layer, RequestContext.layerCurrentRequest)

/**
 * What the API needs, derived: what its groups' handlers may use (`Api.Handlers`) but the middleware
 * provides, plus what the middleware needs (the API-key seam, a bearer-token verifier, admission, where
 * members' activity is noted, the repositories a principal is read from, ids).
 */
export type Requirements =
  | Exclude<Handlers, Authentication.Authentication | Audit.CurrentRequest>
  | Layer.Layer.Context<typeof Authentication.layer>
  | Layer.Layer.Context<ReturnType<typeof RequestContext.layer>>

const openApiPath = "/v1/openapi.json"
const docsPath = "/v1/docs"

/** The API's handlers, middleware (request id and problems, body limits and media types), OpenAPI document and docs page. */
export const layer: Layer.Layer<HttpApi.Api, never, Requirements> = Layer.mergeAll(
  HttpApiBuilder.middlewareOpenApi({ path: openApiPath }),
  HttpApiScalar.layer({ path: docsPath }),
  RequestContext.layer(Routes.allowedMethods(Api, [{ method: "GET", path: openApiPath }, { method: "GET", path: docsPath }])),
  RequestBody.layer(Api)
).pipe(
  Layer.provideMerge(HttpApiBuilder.api(Api)),
  Layer.provide(groups),
  Layer.provide(middleware)
)

/** A fetch-style handler for the API over fully provided requirements (for tests and serverless hosts). */
export const toWebHandler = <E>(requirements: Layer.Layer<Requirements, E>) =>
  HttpApiBuilder.toWebHandler(Layer.mergeAll(layer.pipe(Layer.provide(requirements)), HttpServer.layerContext))

/**
 * Serves the built API on the `HttpServer`, as `HttpApiBuilder.serve()` does, but each request's fiber starts
 * from the serving services alone (the server, the platform's defaults, the serving scope) rather than from
 * everything the surrounding layers hold. Handlers and middleware keep the services they were built with, so
 * nothing changes for them; what changes is the size of the context the framework copies a few times a request
 * (each `provideService` copies it), which in a server of this size is dozens of services.
 */
export const serve = (): Layer.Layer<never, never, HttpServer.HttpServer | HttpApi.Api | HttpRouter.HttpRouter.DefaultServices> =>
  Layer.scopedDiscard(Effect.gen(function*() {
    const app = yield* HttpApiBuilder.httpApp
    const serving = Context.pick(
      HttpServer.HttpServer,
      HttpPlatform.HttpPlatform,
      Etag.Generator,
      FileSystem.FileSystem,
      Path.Path,
      Scope.Scope
    )(yield* Effect.context<HttpServer.HttpServer | HttpRouter.HttpRouter.DefaultServices | Scope.Scope>())
    yield* Effect.mapInputContext(HttpServer.serveEffect(app), (_: Context.Context<never>) => serving)
  })).pipe(Layer.provide([HttpApiBuilder.Router.Live, HttpApiBuilder.Middleware.layer]))

/**
 * Serves `layer` with tracing off: no HTTP server span and no use-case spans (`Layer.setTracerEnabled(false)`),
 * so a request pays for none. The reference server runs this way; an embedder who exports traces leaves it
 * out and provides a tracer instead (the README's benchmark section gives the cost).
 */
export const untraced = <A, E, R>(layer: Layer.Layer<A, E, R>): Layer.Layer<A, E, R> =>
  layer.pipe(
    HttpMiddleware.withTracerDisabledWhen(() => true),
    Layer.provide(Layer.setTracerEnabled(false))
  )
