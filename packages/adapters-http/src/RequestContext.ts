/**
 * The per-request envelope: a fresh request id on every response (`X-Request-Id`), the same id given to
 * use cases as `Audit.CurrentRequest`, and every failure rendered as problem+json, including the
 * platform's own (decode failures, unreadable bodies, unknown routes).
 */
import { HttpApiBuilder, HttpApiError, HttpServerError, HttpServerResponse } from "@effect/platform"
import { Audit, IdGenerator } from "@aidial/domain"
import { Cause, Effect, Fiber, FiberRef, Layer, Option } from "effect"
import * as Issues from "./Issues.js"
import * as Problem from "./Problem.js"

/** The response header that carries the request id. */
export const header = "x-request-id"

/** The id of the request the current fiber serves; set by `layer` before routing. */
export const requestId: FiberRef.FiberRef<string> = FiberRef.unsafeMake("")

/**
 * `Audit.CurrentRequest` for every handler, built once: its `requestId` is read, when a use case reads it,
 * from the fiber that reads it, where `envelope` has set the id of the request that fiber serves. Nothing
 * is provided per request (a providing middleware costs each request a copy of its context; measured in
 * the README's benchmark section), and a fiber a use case forks inherits the id with the rest of its fiber refs.
 * Outside a fiber, or on a fiber no envelope has served, the id is empty.
 */
export const currentRequest: Audit.CurrentRequest["Type"] = Audit.CurrentRequest.of({
  get requestId() {
    const fiber = Fiber.getCurrentFiber()
    return Option.isSome(fiber) ? fiber.value.getFiberRef(requestId) : ""
  }
})

/** `currentRequest` as the service every handler reads. */
export const layerCurrentRequest: Layer.Layer<Audit.CurrentRequest> = Layer.succeed(Audit.CurrentRequest, currentRequest)

/** For a request path, the methods the API takes there (`Routes.allowedMethods`); none for an unknown path. */
export type AllowedMethods = (path: string) => ReadonlyArray<string>

/**
 * Any failure out of the router as a problem: schema decode failures and unreadable bodies are 400,
 * a known path asked with another method 405 with `Allow`, an unknown route 404, anything unexpected 500.
 * `None` for an interruption (the client went away).
 */
export const fromCause = (cause: Cause.Cause<unknown>, allowed: AllowedMethods = () => []): Option.Option<Problem.Problem> => {
  if (Cause.isInterruptedOnly(cause)) return Option.none()
  const error = Cause.squash(cause)
  if (Problem.isProblem(error)) return Option.some(error)
  if (error instanceof HttpApiError.HttpApiDecodeError) {
    return Option.some(new Problem.BadRequest({ detail: Issues.describe(error.issues, "the request body") }))
  }
  if (HttpServerError.isServerError(error)) {
    switch (error._tag) {
      case "RouteNotFound": {
        const methods = allowed(error.request.url.split("?")[0] ?? "")
        return Option.some(
          methods.length === 0
            ? new Problem.NotFound({ detail: "No such route." })
            : new Problem.MethodNotAllowed({
              detail: `${error.request.method} is not allowed here; this path takes ${methods.join(", ")}.`,
              allow: methods.join(", ")
            })
        )
      }
      case "RequestError":
        return Option.some(
          error.reason === "Decode" ? new Problem.BadRequest({ detail: "The request body could not be read." }) : Problem.internalError
        )
      default:
        return Option.some(Problem.internalError)
    }
  }
  return Option.some(Problem.internalError)
}

/**
 * The envelope around every request: assigns the request id, turns every failure (declared errors, schema
 * decode failures, unknown routes, defects) into a problem response, and stamps `X-Request-Id` on every response.
 */
export const envelope = (ids: IdGenerator.IdGenerator["Type"], allowed: AllowedMethods = () => []) =>
<E, R>(app: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>) =>
  Effect.flatMap(ids.make("request"), (id) =>
    // Set, not `Effect.locally`: the envelope is the outermost step of a request's own fiber, so the id is
    // that fiber's for the rest of its life, and restoring the previous value would only cost time.
    Effect.zipRight(FiberRef.set(requestId, id), app).pipe(
      Effect.catchAllCause((cause) =>
        Option.match(fromCause(cause, allowed), {
          onNone: () => Effect.failCause(cause),
          onSome: (problem) =>
            problem._tag === "Internal"
              ? Effect.as(Effect.logError("request failed", cause), Problem.toResponse(problem))
              : Effect.succeed(Problem.toResponse(problem))
        })
      ),
      Effect.map((response) => HttpServerResponse.setHeader(response, header, id))
    ))

/** API-wide middleware: `envelope` around every request; `allowed` gives a known path's methods (for 405). */
export const layer = (allowed: AllowedMethods): Layer.Layer<never, never, IdGenerator.IdGenerator> =>
  HttpApiBuilder.middleware(Effect.map(IdGenerator.IdGenerator, (ids) => envelope(ids, allowed)))
