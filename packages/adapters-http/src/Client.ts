/**
 * A typed client for services that call the API, derived from the same `HttpApi` the server is built from:
 * every group and endpoint as a method taking the decoded path, query and body, answering the decoded
 * success or failing with the endpoint's declared problems. The credential goes on every request.
 */
import { HttpApiClient, HttpClient, HttpClientRequest, HttpClientResponse } from "@effect/platform"
import { Effect, Redacted } from "effect"
import { Api } from "./Api.js"
import * as Problem from "./Problem.js"

/** How the client authenticates: an API key (`X-API-Key`) or a bearer token. */
export type Credential =
  | { readonly _tag: "ApiKey"; readonly key: Redacted.Redacted<string> }
  | { readonly _tag: "Bearer"; readonly token: Redacted.Redacted<string> }

const authenticate = (credential: Credential) => (request: HttpClientRequest.HttpClientRequest) =>
  credential._tag === "ApiKey"
    ? HttpClientRequest.setHeader(request, "x-api-key", Redacted.value(credential.key))
    : HttpClientRequest.bearerToken(request, Redacted.value(credential.token))

/**
 * A problem+json answer in the form the problem schemas decode: the wire body carries its kind as its status,
 * so the kind's tag (and a 429's `Retry-After`) is added before the client decodes it.
 */
const tagProblem = (response: HttpClientResponse.HttpClientResponse) =>
  (response.headers["content-type"] ?? "").startsWith(Problem.ContentType)
    ? Effect.map(response.json, (body) => {
      const kind = Problem.kindOfStatus(response.status)
      const retry = Number(response.headers["retry-after"] ?? "0")
      const tagged = typeof body === "object" && body !== null ? { ...body, _tag: kind, retryAfterSeconds: retry } : body
      return HttpClientResponse.fromWeb(
        response.request,
        new Response(JSON.stringify(tagged), { status: response.status, headers: response.headers })
      )
    })
    : Effect.succeed(response)

/** A client of the API at `baseUrl` (such as `http://127.0.0.1:8787`) over the `HttpClient` in context. */
export const make = (options: { readonly baseUrl: string | URL; readonly credential: Credential }) =>
  HttpApiClient.make(Api, {
    baseUrl: options.baseUrl,
    transformClient: (client) =>
      client.pipe(
        HttpClient.mapRequest(authenticate(options.credential)),
        HttpClient.transformResponse(Effect.flatMap(tagProblem))
      )
  })

/** The client's methods, by group then endpoint (`client.apiKeys.create({ path, payload })`). */
export type Client = Effect.Effect.Success<ReturnType<typeof make>>
