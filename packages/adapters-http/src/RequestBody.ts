/**
 * The request-body envelope: every body a handler reads goes through here first, so no route can buffer
 * more than its cap or act on a media type it does not declare.
 *
 * - Size: a cap per route (default 1 MiB, `Limits.maxBytes`; `Limits.routes` raises or lowers it for one
 *   route). A `Content-Length` over the cap is 413 before a byte is read; a body without one (chunked) is
 *   counted while it streams and refused with 413 as soon as it crosses the cap, so memory never holds more
 *   than the cap. The 413 closes the connection (`Connection: close`) and the rest of the body is not read.
 * - Media type: a route accepts `application/json`, or the types its payload declares
 *   (`HttpApiSchema.withEncoding`, such as `application/merge-patch+json`) or its `Limits.routes` entry
 *   lists, with no charset or `charset=utf-8`; anything else, multipart and
 *   form-encoded bodies included, and a body without `Content-Type`, is 415 before the body is read.
 * - Encoding: the body must be valid UTF-8 (400 otherwise; nothing is decoded with replacement characters).
 *
 * Refusals are problems raised as defects from the body accessors (the platform's payload decoder reads the
 * body with `orDie`), which `RequestContext` answers as problem+json like any other problem.
 */
import {
  Headers,
  HttpApi,
  HttpApiBuilder,
  HttpApiGroup,
  HttpApp,
  HttpIncomingMessage,
  HttpMethod,
  HttpRouter,
  HttpServerError,
  HttpServerRequest,
  HttpServerResponse,
  UrlParams
} from "@effect/platform"
import { Context, Effect, Inspectable, Layer, Option, Stream } from "effect"
import * as Problem from "./Problem.js"

/** What one route accepts: its cap in bytes and its media types (each defaults to `Limits`' own). */
export interface RouteBody {
  readonly maxBytes?: number
  readonly mediaTypes?: ReadonlyArray<string>
}

/** The body limits of the API: the default cap, and per-route entries keyed by `"<METHOD> <path pattern>"`. */
export interface Limits {
  /** The default cap in bytes. */
  readonly maxBytes: number
  /** Per route, e.g. `{ "PATCH /v1/projects/:projectId/config": { mediaTypes: ["application/merge-patch+json"] } }`. */
  readonly routes: Readonly<Record<string, RouteBody>>
}

/** 1 MiB, the default cap of a JSON body. */
export const defaultMaxBytes = 1024 * 1024

/** The media type every route accepts unless its entry says otherwise. */
export const json = "application/json"

/** The body limits in force; defaults to 1 MiB of `application/json` on every route. */
export class BodyLimits extends Context.Reference<BodyLimits>()("@aidial/adapters-http/BodyLimits", {
  defaultValue: (): Limits => ({ maxBytes: defaultMaxBytes, routes: {} })
}) {}

/** Sets the body limits (the default cap and per-route entries). */
export const layerLimits = (limits: Limits): Layer.Layer<BodyLimits> => Layer.succeed(BodyLimits, limits)

const size = (bytes: number): string =>
  bytes % (1024 * 1024) === 0
    ? `${bytes / (1024 * 1024)} MiB`
    : bytes % 1024 === 0
    ? `${bytes / 1024} KiB`
    : `${bytes} bytes`

const tooLarge = (maxBytes: number) =>
  new Problem.PayloadTooLarge({
    detail: `The request body is larger than ${maxBytes} bytes (${size(maxBytes)}), the limit of this endpoint; send a smaller body.`
  })

const unsupported = (accepted: ReadonlyArray<string>, received: string | undefined) =>
  new Problem.UnsupportedMediaType({
    detail: `${received === undefined ? "The request has a body but no Content-Type" : `Content-Type ${received} is not accepted here`}; ` +
      `send the body as UTF-8 JSON with "Content-Type: ${accepted.join('" or "Content-Type: ')}".`
  })

const notUtf8 = new Problem.BadRequest({ detail: "The request body is not valid UTF-8; send JSON encoded as UTF-8." })

/** The essence (`type/subtype`, lower case) and `charset` parameter of a `Content-Type` value. */
export const parseMediaType = (header: string): { readonly essence: string; readonly charset: string | null } => {
  const [type = "", ...parameters] = header.split(";")
  let charset: string | null = null
  for (const parameter of parameters) {
    const equals = parameter.indexOf("=")
    if (equals < 0) continue
    if (parameter.slice(0, equals).trim().toLowerCase() === "charset") {
      charset = parameter.slice(equals + 1).trim().replace(/^"(.*)"$/, "$1").toLowerCase()
    }
  }
  return { essence: type.trim().toLowerCase(), charset }
}

/** Whether a `Content-Type` value is one of `accepted`, in UTF-8 (no charset, or `utf-8`). */
export const accepts = (accepted: ReadonlyArray<string>, header: string): boolean => {
  const { charset, essence } = parseMediaType(header)
  return accepted.includes(essence) && (charset === null || charset === "utf-8")
}

/** The parts of a Node readable this module uses, so the body is read without the platform destroying the socket. */
interface ReadableLike {
  on(event: "data", listener: (chunk: Uint8Array) => void): unknown
  on(event: "end", listener: () => void): unknown
  on(event: "error", listener: (error: unknown) => void): unknown
  off(event: "data", listener: (chunk: Uint8Array) => void): unknown
  off(event: "end", listener: () => void): unknown
  off(event: "error", listener: (error: unknown) => void): unknown
  pause(): unknown
}

const isReadableLike = (u: unknown): u is ReadableLike =>
  typeof u === "object" && u !== null &&
  "on" in u && typeof u.on === "function" &&
  "off" in u && typeof u.off === "function" &&
  "pause" in u && typeof u.pause === "function"

const isWebRequest = (u: unknown): u is Request => typeof Request !== "undefined" && u instanceof Request

type Refusal = Problem.PayloadTooLarge | HttpServerError.RequestError

const concat = (chunks: ReadonlyArray<Uint8Array>, total: number): Uint8Array => {
  const out = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    out.set(chunk, offset)
    offset += chunk.length
  }
  return out
}

/**
 * Reads a Node request body, stopping (and pausing the socket, never destroying it, so the 413 can still
 * be written) as soon as it crosses `maxBytes`.
 */
const readNode = (
  source: ReadableLike,
  maxBytes: number,
  onError: (cause: unknown) => HttpServerError.RequestError
): Effect.Effect<Uint8Array, Refusal> =>
  Effect.async<Uint8Array, Refusal>((resume) => {
    const chunks: Array<Uint8Array> = []
    let total = 0
    const detach = () => {
      source.off("data", onData)
      source.off("end", onEnd)
      source.off("error", onFailure)
    }
    const onData = (chunk: Uint8Array) => {
      total += chunk.length
      if (total > maxBytes) {
        detach()
        source.pause()
        chunks.length = 0
        resume(Effect.fail(tooLarge(maxBytes)))
        return
      }
      chunks.push(chunk)
    }
    const onEnd = () => {
      detach()
      resume(Effect.succeed(concat(chunks, total)))
    }
    const onFailure = (error: unknown) => {
      detach()
      resume(Effect.fail(onError(error)))
    }
    source.on("data", onData)
    source.on("end", onEnd)
    source.on("error", onFailure)
    return Effect.sync(detach)
  })

/** Reads a fetch `Request` body, cancelling it as soon as it crosses `maxBytes`. */
const readWeb = (
  source: Request,
  maxBytes: number,
  onError: (cause: unknown) => HttpServerError.RequestError
): Effect.Effect<Uint8Array, Refusal> => {
  const body = source.body
  if (body === null) return Effect.succeed(new Uint8Array(0))
  return Effect.flatten(Effect.tryPromise({
    try: async (): Promise<Effect.Effect<Uint8Array, Refusal>> => {
      const reader = body.getReader()
      const chunks: Array<Uint8Array> = []
      let total = 0
      for (;;) {
        const next = await reader.read()
        if (next.done) return Effect.succeed(concat(chunks, total))
        total += next.value.length
        if (total > maxBytes) {
          await reader.cancel()
          return Effect.fail(tooLarge(maxBytes))
        }
        chunks.push(next.value)
      }
    },
    catch: onError
  }))
}

/** Reads any other platform's body stream, failing as soon as it crosses `maxBytes`. */
const readStream = (
  stream: Stream.Stream<Uint8Array, HttpServerError.RequestError>,
  maxBytes: number
): Effect.Effect<Uint8Array, Refusal> =>
  Effect.map(
    Stream.runFoldEffect(
      stream,
      { chunks: new Array<Uint8Array>(), total: 0 },
      (state, chunk): Effect.Effect<{ chunks: Array<Uint8Array>; total: number }, Refusal> => {
        const total = state.total + chunk.length
        if (total > maxBytes) return Effect.fail(tooLarge(maxBytes))
        state.chunks.push(chunk)
        return Effect.succeed({ chunks: state.chunks, total })
      }
    ),
    (state) => concat(state.chunks, state.total)
  )

const strictUtf8 = new TextDecoder("utf-8", { fatal: true })

/** What a request's route accepts, from `BodyLimits` and the route matched (read when the body is). */
const routeBody = (limits: Limits): Effect.Effect<{ readonly maxBytes: number; readonly mediaTypes: ReadonlyArray<string> }> =>
  Effect.map(Effect.serviceOption(HttpRouter.RouteContext), (context) => {
    const entry = Option.match(context, {
      onNone: () => undefined,
      onSome: ({ route }) => limits.routes[`${route.method} ${String(route.path)}`]
    })
    return { maxBytes: entry?.maxBytes ?? limits.maxBytes, mediaTypes: entry?.mediaTypes ?? [json] }
  })

/** Marks the response to a refused body `Connection: close`: the unread rest of the body is never read. */
const closeConnection = HttpApp.appendPreResponseHandler((_, response) =>
  Effect.succeed(HttpServerResponse.setHeader(response, "connection", "close"))
)

/** A refusal as the defect the platform's `orDie` payload reader passes on to `RequestContext`. */
const refuse = (problem: Problem.Problem): Effect.Effect<never> => Effect.zipRight(closeConnection, Effect.die(problem))

/** A request whose body accessors enforce the route's cap, media types and UTF-8; everything else is the original's. */
class GuardedRequest extends Inspectable.Class implements HttpServerRequest.HttpServerRequest {
  readonly [HttpServerRequest.TypeId]: HttpServerRequest.TypeId = HttpServerRequest.TypeId
  readonly [HttpIncomingMessage.TypeId]: HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId
  private bytesEffect: Effect.Effect<Uint8Array, HttpServerError.RequestError> | undefined

  constructor(readonly original: HttpServerRequest.HttpServerRequest, readonly limits: Limits) {
    super()
  }

  get source() {
    return this.original.source
  }
  get url() {
    return this.original.url
  }
  get originalUrl() {
    return this.original.originalUrl
  }
  get method() {
    return this.original.method
  }
  get cookies() {
    return this.original.cookies
  }
  /**
   * The original headers, except that a JSON-family type the route accepted (`application/<x>+json`) reads as
   * `application/json`, so the platform's payload decoder parses it as JSON.
   */
  get headers(): Headers.Headers {
    const headers = this.original.headers
    const contentType = headers["content-type"]
    if (contentType === undefined) return headers
    const { essence } = parseMediaType(contentType)
    return essence.endsWith("+json") ? Headers.set(headers, "content-type", json) : headers
  }
  get remoteAddress() {
    return this.original.remoteAddress
  }
  get upgrade() {
    return this.original.upgrade
  }
  modify(options: Parameters<HttpServerRequest.HttpServerRequest["modify"]>[0]): HttpServerRequest.HttpServerRequest {
    return new GuardedRequest(this.original.modify(options), this.limits)
  }
  toJSON(): unknown {
    return this.original.toJSON()
  }

  private onError = (cause: unknown) => new HttpServerError.RequestError({ request: this, reason: "Decode", cause })

  /** Whether the request announces a body: a non-zero `Content-Length`, `Transfer-Encoding`, or a fetch body. */
  private get announcesBody(): boolean {
    const length = this.original.headers["content-length"]
    if (length !== undefined) return length.trim() !== "0"
    if (this.original.headers["transfer-encoding"] !== undefined) return true
    const source = this.original.source
    return isWebRequest(source) && source.body !== null
  }

  /** The route's checks, then the body read once under its cap; later reads share the first. */
  private get bytes(): Effect.Effect<Uint8Array, HttpServerError.RequestError> {
    if (this.bytesEffect !== undefined) return this.bytesEffect
    const read = Effect.flatMap(routeBody(this.limits), ({ maxBytes, mediaTypes }) => {
      const contentType = this.original.headers["content-type"]
      if (contentType === undefined) {
        return this.announcesBody ? refuse(unsupported(mediaTypes, undefined)) : Effect.succeed(new Uint8Array(0))
      }
      if (!accepts(mediaTypes, contentType)) return refuse(unsupported(mediaTypes, contentType))
      const length = this.original.headers["content-length"]
      if (length !== undefined && Number(length) > maxBytes) return refuse(tooLarge(maxBytes))
      const source = this.original.source
      const body = isReadableLike(source)
        ? readNode(source, maxBytes, this.onError)
        : isWebRequest(source)
        ? readWeb(source, maxBytes, this.onError)
        : readStream(this.original.stream, maxBytes)
      return Effect.catchTag(body, "PayloadTooLarge", refuse)
    })
    this.bytesEffect = Effect.runSync(Effect.cached(read))
    return this.bytesEffect
  }

  get text(): Effect.Effect<string, HttpServerError.RequestError> {
    return Effect.flatMap(this.bytes, (bytes) =>
      Effect.try({ try: () => strictUtf8.decode(bytes), catch: () => notUtf8 }).pipe(Effect.catchAll(refuse)))
  }
  get json(): Effect.Effect<unknown, HttpServerError.RequestError> {
    return Effect.flatMap(this.text, (text) =>
      Effect.try({ try: (): unknown => text === "" ? null : JSON.parse(text), catch: this.onError }))
  }
  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpServerError.RequestError> {
    return Effect.map(this.text, (text) => UrlParams.fromInput(new URLSearchParams(text)))
  }
  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpServerError.RequestError> {
    return Effect.map(this.bytes, (bytes) => {
      const copy = new ArrayBuffer(bytes.byteLength)
      new Uint8Array(copy).set(bytes)
      return copy
    })
  }
  get stream(): Stream.Stream<Uint8Array, HttpServerError.RequestError> {
    return Stream.fromEffect(this.bytes)
  }
  get multipart() {
    return Effect.flatMap(routeBody(this.limits), ({ mediaTypes }) =>
      mediaTypes.includes("multipart/form-data")
        ? this.original.multipart
        : refuse(unsupported(mediaTypes, this.original.headers["content-type"])))
  }
  get multipartStream() {
    return Stream.unwrap(Effect.map(routeBody(this.limits), ({ mediaTypes }) =>
      mediaTypes.includes("multipart/form-data")
        ? this.original.multipartStream
        : Stream.fromEffect(refuse(unsupported(mediaTypes, this.original.headers["content-type"])))))
  }
}

/** Wraps a request so that its body is read only through the checks above. */
export const guard = (request: HttpServerRequest.HttpServerRequest, limits: Limits): HttpServerRequest.HttpServerRequest =>
  request instanceof GuardedRequest ? request : new GuardedRequest(request, limits)

/**
 * The media types each endpoint of `api` declares for its payload (`HttpApiSchema.withEncoding`), for the
 * endpoints that declare anything but `application/json`, keyed like `Limits.routes`.
 */
export const declaredRoutes = <Id extends string, Groups extends HttpApiGroup.HttpApiGroup.Any, E, R>(
  api: HttpApi.HttpApi<Id, Groups, E, R>
): Readonly<Record<string, RouteBody>> => {
  const routes: Record<string, RouteBody> = {}
  HttpApi.reflect(api, {
    onGroup: () => {},
    onEndpoint: ({ endpoint, payloads }) => {
      const mediaTypes = [...payloads.keys()]
      if (mediaTypes.length > 0 && !(mediaTypes.length === 1 && mediaTypes[0] === json)) {
        routes[`${endpoint.method} ${endpoint.path}`] = { mediaTypes }
      }
    }
  })
  return routes
}

/**
 * API-wide middleware: every request's body goes through `guard` with the `BodyLimits` in force, where each
 * route of `api` also accepts the media types its payload declares (a `BodyLimits` entry for the route wins).
 */
export const layer = <Id extends string, Groups extends HttpApiGroup.HttpApiGroup.Any, E, R>(
  api: HttpApi.HttpApi<Id, Groups, E, R>
): Layer.Layer<never> => {
  const declared = declaredRoutes(api)
  return HttpApiBuilder.middleware(
    Effect.map(BodyLimits, (configured) => {
      const routes: Record<string, RouteBody> = { ...declared }
      for (const [route, body] of Object.entries(configured.routes)) routes[route] = { ...declared[route], ...body }
      const limits: Limits = { maxBytes: configured.maxBytes, routes }
      return (app) =>
        Effect.withFiberRuntime((fiber) => {
          const request = Context.unsafeGet(fiber.currentContext, HttpServerRequest.HttpServerRequest)
          // A method without a body (GET, HEAD, OPTIONS) has nothing to guard: the router never reads one.
          return HttpMethod.hasBody(request.method)
            ? Effect.provideService(app, HttpServerRequest.HttpServerRequest, guard(request, limits))
            : app
        })
    })
  )
}
