/**
 * RFC 9457 problem details: every error the API answers with, its HTTP status and its stable `code`.
 * Domain errors become HTTP errors here and nowhere else.
 */
import { HttpApiError, HttpApiSchema, HttpServerError, HttpServerResponse } from "@effect/platform"
import { ApiKey } from "@aidial/domain"
import type { Clients, Policy, StorageError, Team } from "@aidial/domain"
import { Cause, Effect, Option, ParseResult, Schema } from "effect"

/** The media type of every error body. */
export const ContentType = "application/problem+json"

/** The `WWW-Authenticate` challenge sent with every 401: a bearer token, or an API key in `X-API-Key`. */
export const challenge = 'Bearer realm="aidial", ApiKey realm="aidial" header="X-API-Key"'

const jsonSchema = (codes: ReadonlyArray<string>, status: number) => ({
  type: "object",
  required: ["type", "title", "status", "code", "detail"],
  properties: {
    type: { type: "string", description: "A URI naming the problem type: `urn:aidial:problem:<code>`." },
    title: { type: "string" },
    status: { type: "integer", enum: [status] },
    code: { type: "string", enum: [...codes], description: "Stable machine-readable error code." },
    detail: { type: "string" }
  }
})

const annotate = <A>(
  status: number,
  code: string,
  description: string,
  specific: ReadonlyArray<string> = []
): Schema.Annotations.Schema<A> => ({
  ...HttpApiSchema.annotations<A>({ status, description }),
  [HttpApiSchema.AnnotationEncoding]: { kind: "Json", contentType: ContentType },
  jsonSchema: jsonSchema([code, ...specific], status)
})

/**
 * The stable codes of partner-team and client problems: each refines its status's generic code
 * (`forbidden`, `not_found`, `conflict`, `gone`, `unprocessable`) so a client can tell them apart.
 */
export const codes = {
  InvitationNotFound: "invitation_not_found",
  RoleAboveOwn: "role_above_own",
  EmailNotVerified: "email_not_verified",
  InvitationEmailMismatch: "invitation_email_mismatch",
  AlreadyInvited: "already_invited",
  AlreadyMember: "already_member",
  LastPartnerAdmin: "last_partner_admin",
  InvitationAlreadyAccepted: "invitation_already_accepted",
  InvitationRevoked: "invitation_revoked",
  InvitationExpired: "invitation_expired",
  AssigneeNotPartnerUser: "assignee_not_partner_user",
  ParseError: "invalid_value"
} as const

/** A specific code a problem may carry instead of its status's generic one. */
const specificCode = Schema.optional(Schema.Literal(...Object.values(codes)))

/** 400: the path, query, headers or body did not match what the endpoint accepts. */
export class BadRequest extends Schema.TaggedError<BadRequest>()("BadRequest", {
  detail: Schema.String
}, annotate(400, "bad_request", "The request was malformed")) {}

/** 401: no credentials, or credentials that do not authenticate. */
export class Unauthenticated extends Schema.TaggedError<Unauthenticated>()("Unauthenticated", {
  detail: Schema.String
}, annotate(401, "unauthenticated", "Missing or invalid credentials")) {}

/** 403: the resource is in the caller's scope but its role does not hold the action. */
export class Forbidden extends Schema.TaggedError<Forbidden>()("Forbidden", {
  detail: Schema.String,
  code: specificCode
}, annotate(403, "forbidden", "The caller may not perform this action", [codes.RoleAboveOwn, codes.EmailNotVerified, codes.InvitationEmailMismatch])) {}

/** 404: missing or out of the caller's scope; the two are never told apart. */
export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", {
  detail: Schema.String,
  code: specificCode
}, annotate(404, "not_found", "No such resource", [codes.InvitationNotFound])) {}

/** 409: the request conflicts with the resource's current state. */
export class Conflict extends Schema.TaggedError<Conflict>()("Conflict", {
  detail: Schema.String,
  code: specificCode
}, annotate(409, "conflict", "The request conflicts with the current state", [codes.AlreadyInvited, codes.AlreadyMember, codes.LastPartnerAdmin, codes.InvitationAlreadyAccepted])) {}

/** 410: the resource existed but is permanently unusable (a revoked or expired invitation). */
export class Gone extends Schema.TaggedError<Gone>()("Gone", {
  detail: Schema.String,
  code: specificCode
}, annotate(410, "gone", "The resource is no longer available", [codes.InvitationRevoked, codes.InvitationExpired])) {}

/** 412: a precondition (such as an expected revision) no longer holds. */
export class PreconditionFailed extends Schema.TaggedError<PreconditionFailed>()("PreconditionFailed", {
  detail: Schema.String
}, annotate(412, "precondition_failed", "A precondition failed")) {}

/** 413: the request body is larger than the endpoint accepts. */
export class PayloadTooLarge extends Schema.TaggedError<PayloadTooLarge>()("PayloadTooLarge", {
  detail: Schema.String
}, annotate(413, "payload_too_large", "The request body is too large")) {}

/** 415: the request body has a media type the endpoint does not accept. */
export class UnsupportedMediaType extends Schema.TaggedError<UnsupportedMediaType>()("UnsupportedMediaType", {
  detail: Schema.String
}, annotate(415, "unsupported_media_type", "Unsupported media type")) {}

/** 422: well-formed input that the business rules reject. */
export class Unprocessable extends Schema.TaggedError<Unprocessable>()("Unprocessable", {
  detail: Schema.String,
  code: specificCode
}, annotate(422, "unprocessable", "The request could not be processed", [codes.AssigneeNotPartnerUser, codes.ParseError])) {}

/** 429: the caller exceeded its rate limit; `retryAfterSeconds` goes into `Retry-After`. */
export class RateLimited extends Schema.TaggedError<RateLimited>()("RateLimited", {
  detail: Schema.String,
  retryAfterSeconds: Schema.Int
}, annotate(429, "rate_limited", "Too many requests")) {}

/** 500: something failed on the server; the body never carries the cause. */
export class Internal extends Schema.TaggedError<Internal>()("Internal", {
  detail: Schema.String
}, annotate(500, "internal", "Internal server error")) {}

/** Every problem the API answers with. */
export type Problem =
  | BadRequest
  | Unauthenticated
  | Forbidden
  | NotFound
  | Conflict
  | Gone
  | PreconditionFailed
  | PayloadTooLarge
  | UnsupportedMediaType
  | Unprocessable
  | RateLimited
  | Internal

const meta: { readonly [K in Problem["_tag"]]: { readonly status: number; readonly code: string; readonly title: string } } = {
  BadRequest: { status: 400, code: "bad_request", title: "Bad Request" },
  Unauthenticated: { status: 401, code: "unauthenticated", title: "Unauthenticated" },
  Forbidden: { status: 403, code: "forbidden", title: "Forbidden" },
  NotFound: { status: 404, code: "not_found", title: "Not Found" },
  Conflict: { status: 409, code: "conflict", title: "Conflict" },
  Gone: { status: 410, code: "gone", title: "Gone" },
  PreconditionFailed: { status: 412, code: "precondition_failed", title: "Precondition Failed" },
  PayloadTooLarge: { status: 413, code: "payload_too_large", title: "Payload Too Large" },
  UnsupportedMediaType: { status: 415, code: "unsupported_media_type", title: "Unsupported Media Type" },
  Unprocessable: { status: 422, code: "unprocessable", title: "Unprocessable Content" },
  RateLimited: { status: 429, code: "rate_limited", title: "Too Many Requests" },
  Internal: { status: 500, code: "internal", title: "Internal Server Error" }
}

const classes = [
  BadRequest,
  Unauthenticated,
  Forbidden,
  NotFound,
  Conflict,
  Gone,
  PreconditionFailed,
  PayloadTooLarge,
  UnsupportedMediaType,
  Unprocessable,
  RateLimited,
  Internal
] as const

/** Whether a value is one of this module's problems. */
export const isProblem = (u: unknown): u is Problem => classes.some((c) => u instanceof c)

/** The HTTP status of a problem. */
export const status = (problem: Problem): number => meta[problem._tag].status

/** The stable `code` of a problem: its specific code when it has one, else its status's. */
export const code = (problem: Problem): string =>
  "code" in problem && problem.code !== undefined ? problem.code : meta[problem._tag].code

/** The JSON body of a problem; it never holds a request id, so equal problems have equal bodies. */
export const body = (problem: Problem) => {
  const m = meta[problem._tag]
  const c = code(problem)
  return { type: `urn:aidial:problem:${c}`, title: m.title, status: m.status, code: c, detail: problem.detail }
}

/** The `application/problem+json` response of a problem, with the headers its status calls for. */
export const toResponse = (problem: Problem): HttpServerResponse.HttpServerResponse => {
  const headers: Record<string, string> = { "cache-control": "no-store" }
  if (problem._tag === "Unauthenticated") headers["www-authenticate"] = challenge
  if (problem._tag === "RateLimited") headers["retry-after"] = String(problem.retryAfterSeconds)
  return HttpServerResponse.unsafeJson(body(problem), {
    status: status(problem),
    contentType: ContentType,
    headers
  })
}

const internal = new Internal({ detail: "The server failed to handle the request." })

/** The generic 500 problem. */
export const internalError: Internal = internal

/** The errors use cases raise. */
export type DomainError = Policy.NotFound | Policy.Forbidden | StorageError.StorageError

/** The one mapping of domain errors to HTTP: NotFound 404, Forbidden 403, StorageError 500 (cause never shown). */
export const fromDomain = (error: DomainError): NotFound | Forbidden | Internal => {
  switch (error._tag) {
    case "NotFound":
      return new NotFound({ detail: `No ${error.resource} with this id.` })
    case "Forbidden":
      return new Forbidden({ detail: `Your role does not allow ${error.action}.` })
    case "StorageError":
      return internal
  }
}

/** Maps a use case's domain errors to problems, logging storage failures on the server side only. */
export const mapDomain = <A, E extends DomainError, R>(
  self: Effect.Effect<A, E, R>
): Effect.Effect<A, NotFound | Forbidden | Internal, R> =>
  Effect.catchAll(self, (error: DomainError) =>
    error._tag === "StorageError"
      ? Effect.zipRight(Effect.logError("storage failure", error), Effect.fail(internal))
      : Effect.fail(fromDomain(error)))

/** The partner-team and client errors use cases raise besides the `DomainError`s. */
export type TeamError =
  | Team.InvitationNotFound
  | Team.RoleAboveOwn
  | Team.EmailNotVerified
  | Team.InvitationEmailMismatch
  | Team.AlreadyInvited
  | Team.AlreadyMember
  | Team.LastPartnerAdmin
  | Team.InvitationAlreadyAccepted
  | Team.InvitationRevoked
  | Team.InvitationExpired
  | Clients.AssigneeNotPartnerUser
  | ParseResult.ParseError

/**
 * Team and client errors as problems, each with its specific code: an unknown invitation 404; a
 * role above the caller's own, an unverified or mismatched email 403; already invited, already a
 * member, the last partner_admin, an accepted invitation 409; a revoked or expired invitation 410
 * (it existed and is permanently unusable); a non-partner_user assignee and a rejected value 422.
 * No detail carries an invitation token or link.
 */
export const fromTeam = (error: TeamError): NotFound | Forbidden | Conflict | Gone | Unprocessable => {
  switch (error._tag) {
    case "InvitationNotFound":
      return new NotFound({ code: codes.InvitationNotFound, detail: "No invitation matches this code." })
    case "RoleAboveOwn":
      return new Forbidden({ code: codes.RoleAboveOwn, detail: `You may not grant ${error.role}, a role above your own.` })
    case "EmailNotVerified":
      return new Forbidden({ code: codes.EmailNotVerified, detail: "Verify your email address before accepting an invitation." })
    case "InvitationEmailMismatch":
      return new Forbidden({ code: codes.InvitationEmailMismatch, detail: "This invitation was sent to another email address." })
    case "AlreadyInvited":
      return new Conflict({
        code: codes.AlreadyInvited,
        detail: `A pending invitation (${error.invitationId}) exists for this email; resend it instead.`
      })
    case "AlreadyMember":
      return new Conflict({ code: codes.AlreadyMember, detail: "This user is already a member." })
    case "LastPartnerAdmin":
      return new Conflict({
        code: codes.LastPartnerAdmin,
        detail: "The last partner_admin of an active organisation can be neither demoted nor removed."
      })
    case "InvitationAlreadyAccepted":
      return new Conflict({ code: codes.InvitationAlreadyAccepted, detail: "This invitation was accepted already." })
    case "InvitationRevoked":
      return new Gone({ code: codes.InvitationRevoked, detail: "This invitation was revoked or replaced by a newer one." })
    case "InvitationExpired":
      return new Gone({ code: codes.InvitationExpired, detail: `This invitation expired at ${error.expiredAt.toISOString()}.` })
    case "AssigneeNotPartnerUser":
      return new Unprocessable({
        code: codes.AssigneeNotPartnerUser,
        detail: "Only partner_user members are assigned clients; a partner_admin sees every client already."
      })
    case "ParseError":
      return new Unprocessable({
        code: codes.ParseError,
        detail: describeIssues(ParseResult.ArrayFormatter.formatErrorSync(error))
      })
  }
}

/** The problem a domain, team or client error becomes (see `fromDomain` and `fromTeam`). */
export type ProblemOf<E> = E extends Policy.NotFound | Team.InvitationNotFound ? NotFound
  : E extends Policy.Forbidden | Team.RoleAboveOwn | Team.EmailNotVerified | Team.InvitationEmailMismatch ? Forbidden
  : E extends Team.AlreadyInvited | Team.AlreadyMember | Team.LastPartnerAdmin | Team.InvitationAlreadyAccepted ? Conflict
  : E extends Team.InvitationRevoked | Team.InvitationExpired ? Gone
  : E extends Clients.AssigneeNotPartnerUser | ParseResult.ParseError ? Unprocessable
  : Internal

/** Maps a team or client use case's errors to problems, logging storage failures on the server side only. */
export function mapTeam<A, E extends DomainError | TeamError, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, ProblemOf<E>, R>
export function mapTeam<A, R>(
  self: Effect.Effect<A, DomainError | TeamError, R>
): Effect.Effect<A, NotFound | Forbidden | Conflict | Gone | Unprocessable | Internal, R> {
  return Effect.catchAll(self, (error): Effect.Effect<never, NotFound | Forbidden | Conflict | Gone | Unprocessable | Internal> => {
    switch (error._tag) {
      case "StorageError":
        return Effect.zipRight(Effect.logError("storage failure", error), Effect.fail(internal))
      case "NotFound":
      case "Forbidden":
        return Effect.fail(fromDomain(error))
      default:
        return Effect.fail(fromTeam(error))
    }
  })
}

const describeIssues = (
  issues: ReadonlyArray<{ readonly path: ReadonlyArray<PropertyKey>; readonly message: string }>
): string => {
  const seen = new Set<string>()
  const parts: Array<string> = []
  for (const issue of issues) {
    const path = issue.path.map(String).join(".")
    if (seen.has(path) || issue.message.startsWith("Expected undefined")) continue
    seen.add(path)
    const part = path.length === 0 ? issue.message : `${path}: ${issue.message}`
    parts.push(part.length > 160 ? `${part.slice(0, 157)}...` : part)
  }
  return parts.length === 0 ? "The request did not match the expected schema." : parts.slice(0, 5).join("; ")
}

/**
 * Any failure out of the router as a problem: schema decode failures and unreadable bodies are 400,
 * an unknown route 404, anything unexpected 500. `None` for an interruption (the client went away).
 */
export const fromCause = (cause: Cause.Cause<unknown>): Option.Option<Problem> => {
  if (Cause.isInterruptedOnly(cause)) return Option.none()
  const error = Cause.squash(cause)
  if (isProblem(error)) return Option.some(error)
  if (error instanceof HttpApiError.HttpApiDecodeError) return Option.some(new BadRequest({ detail: describeIssues(error.issues) }))
  if (HttpServerError.isServerError(error)) {
    switch (error._tag) {
      case "RouteNotFound":
        return Option.some(new NotFound({ detail: "No such route." }))
      case "RequestError":
        return Option.some(
          error.reason === "Decode" ? new BadRequest({ detail: "The request body could not be read." }) : internal
        )
      default:
        return Option.some(internal)
    }
  }
  return Option.some(internal)
}

/** The API-key errors use cases raise besides the tenancy ones. */
export type ApiKeyError = ApiKey.ApiKeyConflict | ApiKey.InvalidExpiry | ApiKey.InvalidApiKey

const isApiKeyError = (u: unknown): u is ApiKeyError =>
  u instanceof ApiKey.ApiKeyConflict || u instanceof ApiKey.InvalidExpiry || u instanceof ApiKey.InvalidApiKey

/** API-key errors to HTTP: ApiKeyConflict 409, InvalidExpiry 422, InvalidApiKey 401 (the one invalid-key answer). */
export const fromApiKey = (error: ApiKeyError): Conflict | Unprocessable | Unauthenticated => {
  switch (error._tag) {
    case "ApiKeyConflict":
      return new Conflict({ detail: `The API key is ${error.status}; only an active key can be rotated or revoked.` })
    case "InvalidExpiry":
      return new Unprocessable({ detail: `expires: ${error.message}.` })
    case "InvalidApiKey":
      return new Unauthenticated({ detail: "The API key is not valid." })
  }
}

/** Maps an API-key use case's errors to problems: the API-key errors as above, the rest as `mapDomain`. */
export const mapApiKeys = <A, E extends DomainError | ApiKeyError, R>(
  self: Effect.Effect<A, E, R>
): Effect.Effect<A, NotFound | Forbidden | Internal | Conflict | Unprocessable | Unauthenticated, R> =>
  Effect.catchAll(
    self,
    (error: DomainError | ApiKeyError): Effect.Effect<never, NotFound | Forbidden | Internal | Conflict | Unprocessable | Unauthenticated> =>
      isApiKeyError(error) ? Effect.fail(fromApiKey(error)) : mapDomain(Effect.fail(error))
  )
