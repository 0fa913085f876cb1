/**
 * RFC 9457 problem details: every problem the API answers with, and the one table that turns each
 * domain error into its problem. Domain errors become HTTP errors here and nowhere else; a new
 * feature's errors are new rows of `table`, never a new mapper.
 */
import { HttpApiSchema, HttpServerResponse } from "@effect/platform"
import type * as Domain from "@aidial/domain"
import { Configuration } from "@aidial/domain"
import { Effect, type Either, type Option, ParseResult, Schema } from "effect"
import * as Issues from "./Issues.js"

/** The media type of every error body. */
export const ContentType = "application/problem+json"

/** The `WWW-Authenticate` challenge sent with every 401: a bearer token, or an API key in `X-API-Key`. */
export const challenge = 'Bearer realm="aidial", ApiKey realm="aidial" header="X-API-Key"'

/**
 * Each kind of problem: its HTTP status, its generic `code`, its title and its OpenAPI description.
 * Responses and the OpenAPI document both read them from here.
 */
export const kinds = {
  BadRequest: { status: 400, code: "bad_request", title: "Bad Request", description: "The request was malformed" },
  Unauthenticated: { status: 401, code: "unauthenticated", title: "Unauthenticated", description: "Missing or invalid credentials" },
  Forbidden: { status: 403, code: "forbidden", title: "Forbidden", description: "The caller may not perform this action" },
  NotFound: { status: 404, code: "not_found", title: "Not Found", description: "No such resource" },
  MethodNotAllowed: {
    status: 405,
    code: "method_not_allowed",
    title: "Method Not Allowed",
    description: "The path exists but not with this method; `Allow` lists its methods"
  },
  Conflict: { status: 409, code: "conflict", title: "Conflict", description: "The request conflicts with the current state" },
  Gone: { status: 410, code: "gone", title: "Gone", description: "The resource is no longer available" },
  PreconditionFailed: { status: 412, code: "precondition_failed", title: "Precondition Failed", description: "A precondition failed" },
  PreconditionRequired: {
    status: 428,
    code: "precondition_required",
    title: "Precondition Required",
    description: "The request must be conditional: send If-Match"
  },
  PayloadTooLarge: { status: 413, code: "payload_too_large", title: "Payload Too Large", description: "The request body is too large" },
  UnsupportedMediaType: {
    status: 415,
    code: "unsupported_media_type",
    title: "Unsupported Media Type",
    description: "Unsupported media type"
  },
  Unprocessable: { status: 422, code: "unprocessable", title: "Unprocessable Content", description: "The request could not be processed" },
  RateLimited: { status: 429, code: "rate_limited", title: "Too Many Requests", description: "Too many requests" },
  Internal: { status: 500, code: "internal", title: "Internal Server Error", description: "Internal server error" }
} as const

/** The name of a kind of problem. */
export type Kind = keyof typeof kinds

const isKind = (name: string): name is Kind => name in kinds

/** The kind of problem answered with HTTP status `status`, if any. */
export const kindOfStatus = (status: number): Kind | undefined =>
  Object.keys(kinds).filter(isKind).find((kind) => kinds[kind].status === status)

/** The kinds a domain error can become (a rate limit or a wrong method is the request envelope's, never a use case's). */
type Target = Exclude<Kind, "RateLimited" | "MethodNotAllowed">

/** The errors a function fails with when it returns an `Effect` (not a pure `Either` or `Option`). */
type FailureOf<F> = F extends (...args: never) => infer Out
  ? Out extends Either.Either<unknown, unknown> | Option.Option<unknown> ? never
  : Out extends Effect.Effect<unknown, infer E, unknown> ? E
  : never
  : never

/** The errors the Effect-returning functions of each module fail with. */
type FailuresOf<M> = M extends unknown ? { readonly [K in keyof M]: FailureOf<M[K]> }[keyof M] : never

/**
 * Every error a use case can fail with: the union of the failures of every Effect-returning function
 * the domain exports. A new use case's new error joins it by itself, and `table` must then give it a row.
 */
export type DomainError = FailuresOf<(typeof Domain)[keyof typeof Domain]>

/** The `_tag` of a domain error. */
export type DomainErrorTag = DomainError["_tag"]

type ByTag = { readonly [T in DomainErrorTag]: Extract<DomainError, { readonly _tag: T }> }

/** How one domain error becomes a problem. */
export interface Row<E> {
  /** The kind of problem, hence its status. */
  readonly problem: Target
  /** A stable code refining the kind's generic one, so a client can tell problems of one status apart. */
  readonly code?: string
  /** The problem's `detail`; it never carries a secret, a token or a stored value the caller did not send. */
  readonly detail: (error: E) => string
  /** RFC 9457 extension members the problem carries besides `detail` (such as the current revision). */
  readonly extensions?: (error: E) => Extensions
}

/** The extension members a problem may carry: the draft's current revision (412), every validation error (422). */
export interface Extensions {
  readonly current_revision?: number
  readonly errors?: ReadonlyArray<Configuration.ValidationError>
}

type Rows = { readonly [T in DomainErrorTag]: Row<ByTag[T]> }

/**
 * The error table: each domain error's `_tag` to its problem. Missing or out of scope is one 404,
 * a role that does not hold the action 403, a storage failure 500 whose cause is only logged; team and
 * client rules refine their status's code; a rejected value is 422 `invalid_value`. No detail carries
 * an invitation token or link.
 */
export const table = {
  NotFound: { problem: "NotFound", detail: (e) => `No ${e.resource} with this id.` },
  Forbidden: { problem: "Forbidden", detail: (e) => `Your role does not allow ${e.action}.` },
  StorageError: { problem: "Internal", detail: () => "The server failed to handle the request." },
  InvitationNotFound: { problem: "NotFound", code: "invitation_not_found", detail: () => "No invitation matches this code." },
  RoleAboveOwn: {
    problem: "Forbidden",
    code: "role_above_own",
    detail: (e) => `You may not grant ${e.role}, a role above your own.`
  },
  EmailNotVerified: {
    problem: "Forbidden",
    code: "email_not_verified",
    detail: () => "Verify your email address before accepting an invitation."
  },
  InvitationEmailMismatch: {
    problem: "Forbidden",
    code: "invitation_email_mismatch",
    detail: () => "This invitation was sent to another email address."
  },
  AlreadyInvited: {
    problem: "Conflict",
    code: "already_invited",
    detail: (e) => `A pending invitation (${e.invitationId}) exists for this email; resend it instead.`
  },
  AlreadyMember: { problem: "Conflict", code: "already_member", detail: () => "This user is already a member." },
  LastPartnerAdmin: {
    problem: "Conflict",
    code: "last_partner_admin",
    detail: () => "The last partner_admin of an active organisation can be neither demoted nor removed."
  },
  InvitationAlreadyAccepted: {
    problem: "Conflict",
    code: "invitation_already_accepted",
    detail: () => "This invitation was accepted already."
  },
  InvitationRevoked: {
    problem: "Gone",
    code: "invitation_revoked",
    detail: () => "This invitation was revoked or replaced by a newer one."
  },
  InvitationExpired: {
    problem: "Gone",
    code: "invitation_expired",
    detail: (e) => `This invitation expired at ${e.expiredAt.toISOString()}.`
  },
  AssigneeNotPartnerUser: {
    problem: "Unprocessable",
    code: "assignee_not_partner_user",
    detail: () => "Only partner_user members are assigned clients; a partner_admin sees every client already."
  },
  ParseError: {
    problem: "Unprocessable",
    code: "invalid_value",
    detail: (e) => Issues.describe(ParseResult.ArrayFormatter.formatErrorSync(e))
  },
  ApiKeyConflict: {
    problem: "Conflict",
    detail: (e) =>
      e.status === "expired"
        ? "The API key has expired: it cannot be rotated (create a new key instead), but it can still be revoked."
        : `The API key is ${e.status}; only an active key can be rotated or revoked.`
  },
  InvalidUsageRange: {
    problem: "BadRequest",
    detail: (e) => e.maxDays === null ? "from: must be before to." : `from, to: at most ${e.maxDays} days with ${e.bucket} buckets.`
  },
  AcceptNeedsUser: { problem: "Forbidden", detail: () => "Accepting an invitation needs a signed-in user, not an API key." },
  UnknownUser: { problem: "Unauthenticated", detail: () => "The bearer token does not name a known user." },
  InvalidExpiry: { problem: "Unprocessable", detail: (e) => `expires: ${e.message}.` },
  InvalidApiKey: { problem: "Unauthenticated", detail: () => "The API key is not valid." },
  RevisionRequired: {
    problem: "PreconditionRequired",
    code: "if_match_required",
    detail: () => "Send If-Match with the draft's revision (the ETag of GET .../draft)."
  },
  RevisionMismatch: {
    problem: "PreconditionFailed",
    code: "stale_revision",
    detail: (e) => `The draft is at revision ${e.current}, not ${e.expected}: read it again, then retry with If-Match: "${e.current}".`,
    extensions: (e) => ({ current_revision: e.current })
  },
  InvalidConfiguration: {
    problem: "Unprocessable",
    code: "invalid_configuration",
    detail: (e) => `The configuration has ${e.errors.length} error${e.errors.length === 1 ? "" : "s"}; each is listed in errors with its JSON pointer.`,
    extensions: (e) => ({ errors: e.errors })
  },
  ConfigurationTooLarge: {
    problem: "PayloadTooLarge",
    code: "configuration_too_large",
    detail: (e) => `The configuration would be ${e.bytes} bytes; the most a configuration may hold is ${e.max}.`
  },
  NothingToPublish: {
    problem: "Conflict",
    code: "nothing_to_publish",
    detail: (e) => `The draft is identical to the live version ${e.live}; there is nothing to publish.`
  },
  VersionConflict: {
    problem: "Conflict",
    code: "version_conflict",
    detail: (e) => `Version ${e.version} was published by someone else at the same time; read the draft and versions again.`
  },
  DomainNotEnabled: {
    problem: "Forbidden",
    code: "domain_not_enabled",
    detail: (e) => `The runtime domain ${e.domain} is not enabled for this client; an AiDial admin enables it under the client's entitlements.`
  },
  BearerOnlyDomain: {
    problem: "Forbidden",
    code: "bearer_only_domain",
    detail: (e) => `The runtime domain ${e.domain} is managed in the portal: it is written with a bearer token, never an API key.`
  }
} as const satisfies Rows

const rows: Rows = table

const specificCodes: ReadonlyArray<{ readonly problem: Target; readonly code: string }> = Object.values(table).flatMap((row) =>
  "code" in row ? [{ problem: row.problem, code: row.code }] : []
)

/** The OpenAPI form of a problem body: its status, and every code it may carry (the generic one first). */
/** A `detail` each kind of problem can carry, for the document's examples. */
const exampleDetails: Partial<Record<Kind, string>> = {
  BadRequest: `scope: expected "read" or "manage", got "write"`,
  Unauthenticated: "Authenticate with an X-API-Key header or an Authorization: Bearer token.",
  Forbidden: "Your role does not allow apikey.create.",
  NotFound: "No client with this id.",
  MethodNotAllowed: "DELETE is not allowed here; this path takes GET.",
  Conflict: "The API key is rotated; only an active key can be rotated or revoked.",
  Gone: "This invitation was revoked or replaced by a newer one.",
  RateLimited: "Too many requests; retry after the time in Retry-After.",
  Internal: "The server failed to handle the request."
}

const annotate = <A>(kind: Kind): Schema.Annotations.Schema<A> => {
  const { code, description, status, title } = kinds[kind]
  const example = { type: `urn:aidial:problem:${code}`, title, status, code, detail: exampleDetails[kind] ?? `${description}.` }
  return {
    ...HttpApiSchema.annotations<A>({ status, description }),
    [HttpApiSchema.AnnotationEncoding]: { kind: "Json", contentType: ContentType },
    jsonSchema: {
      type: "object",
      examples: [example],
      required: ["type", "title", "status", "code", "detail"],
      properties: {
        type: { type: "string", description: "A URI naming the problem type: `urn:aidial:problem:<code>`." },
        title: { type: "string" },
        status: { type: "integer", enum: [status] },
        code: {
          type: "string",
          enum: [code, ...specificCodes.filter((c) => c.problem === kind).map((c) => c.code)],
          description: "Stable machine-readable error code."
        },
        detail: { type: "string" },
        ...(kind === "PreconditionFailed"
          ? { current_revision: { type: "integer", description: "The draft's current revision (with `stale_revision`)." } }
          : {}),
        ...(kind === "Unprocessable"
          ? {
            errors: {
              type: "array",
              description: "Every validation error (with `invalid_configuration`).",
              items: {
                type: "object",
                required: ["pointer", "code", "message"],
                properties: { pointer: { type: "string" }, code: { type: "string" }, message: { type: "string" } }
              }
            }
          }
          : {})
      }
    }
  }
}

/** The fields of every problem but a rate limit: what went wrong, and maybe a code from a row of `table`. */
const fields = {
  detail: Schema.String,
  code: Schema.optional(Schema.String),
  current_revision: Schema.optional(Schema.Int),
  errors: Schema.optional(Schema.Array(Configuration.ValidationError))
}

/** 400: the path, query, headers or body did not match what the endpoint accepts. */
export class BadRequest extends Schema.TaggedError<BadRequest>()("BadRequest", fields, annotate("BadRequest")) {}

/** 401: no credentials, or credentials that do not authenticate. */
export class Unauthenticated extends Schema.TaggedError<Unauthenticated>()("Unauthenticated", fields, annotate("Unauthenticated")) {}

/** 403: the resource is in the caller's scope but its role does not hold the action. */
export class Forbidden extends Schema.TaggedError<Forbidden>()("Forbidden", fields, annotate("Forbidden")) {}

/** 404: missing or out of the caller's scope; the two are never told apart. */
export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", fields, annotate("NotFound")) {}

/** 405: a known path asked with a method it does not take; `allow` (its methods) goes into `Allow`. */
export class MethodNotAllowed extends Schema.TaggedError<MethodNotAllowed>()("MethodNotAllowed", {
  detail: Schema.String,
  allow: Schema.String
}, annotate("MethodNotAllowed")) {}

/** 409: the request conflicts with the resource's current state. */
export class Conflict extends Schema.TaggedError<Conflict>()("Conflict", fields, annotate("Conflict")) {}

/** 410: the resource existed but is permanently unusable (a revoked or expired invitation). */
export class Gone extends Schema.TaggedError<Gone>()("Gone", fields, annotate("Gone")) {}

/** 412: a precondition (such as an expected revision) no longer holds. */
export class PreconditionFailed extends Schema.TaggedError<PreconditionFailed>()("PreconditionFailed", fields, annotate("PreconditionFailed")) {}

/** 428: the request must be conditional (`If-Match`) and is not. */
export class PreconditionRequired
  extends Schema.TaggedError<PreconditionRequired>()("PreconditionRequired", fields, annotate("PreconditionRequired"))
{}

/** 413: the request body is larger than the endpoint accepts. */
export class PayloadTooLarge extends Schema.TaggedError<PayloadTooLarge>()("PayloadTooLarge", fields, annotate("PayloadTooLarge")) {}

/** 415: the request body has a media type the endpoint does not accept. */
export class UnsupportedMediaType
  extends Schema.TaggedError<UnsupportedMediaType>()("UnsupportedMediaType", fields, annotate("UnsupportedMediaType"))
{}

/** 422: well-formed input that the business rules reject. */
export class Unprocessable extends Schema.TaggedError<Unprocessable>()("Unprocessable", fields, annotate("Unprocessable")) {}

/** 429: the caller exceeded its rate limit; `retryAfterSeconds` goes into `Retry-After`. */
export class RateLimited extends Schema.TaggedError<RateLimited>()("RateLimited", {
  detail: Schema.String,
  retryAfterSeconds: Schema.Int
}, annotate("RateLimited")) {}

/** 500: something failed on the server; the body never carries the cause. */
export class Internal extends Schema.TaggedError<Internal>()("Internal", fields, annotate("Internal")) {}

/** How each domain-mapped kind is built. */
const make: {
  readonly [K in Target]: (fields: { readonly detail: string; readonly code?: string } & Extensions) => ProblemByKind[K]
} = {
  BadRequest: (f) => new BadRequest(f),
  Unauthenticated: (f) => new Unauthenticated(f),
  Forbidden: (f) => new Forbidden(f),
  NotFound: (f) => new NotFound(f),
  Conflict: (f) => new Conflict(f),
  Gone: (f) => new Gone(f),
  PreconditionFailed: (f) => new PreconditionFailed(f),
  PreconditionRequired: (f) => new PreconditionRequired(f),
  PayloadTooLarge: (f) => new PayloadTooLarge(f),
  UnsupportedMediaType: (f) => new UnsupportedMediaType(f),
  Unprocessable: (f) => new Unprocessable(f),
  Internal: (f) => new Internal(f)
}

/** The problem class of each kind. */
export interface ProblemByKind {
  readonly BadRequest: BadRequest
  readonly Unauthenticated: Unauthenticated
  readonly Forbidden: Forbidden
  readonly NotFound: NotFound
  readonly MethodNotAllowed: MethodNotAllowed
  readonly Conflict: Conflict
  readonly Gone: Gone
  readonly PreconditionFailed: PreconditionFailed
  readonly PreconditionRequired: PreconditionRequired
  readonly PayloadTooLarge: PayloadTooLarge
  readonly UnsupportedMediaType: UnsupportedMediaType
  readonly Unprocessable: Unprocessable
  readonly RateLimited: RateLimited
  readonly Internal: Internal
}

/** Every problem the API answers with. */
export type Problem = ProblemByKind[Kind]

/** Each kind's schema (the class of its problem), by kind. */
export const schemas = {
  BadRequest,
  Unauthenticated,
  Forbidden,
  NotFound,
  MethodNotAllowed,
  Conflict,
  Gone,
  PreconditionFailed,
  PreconditionRequired,
  PayloadTooLarge,
  UnsupportedMediaType,
  Unprocessable,
  RateLimited,
  Internal
} as const satisfies { readonly [K in Kind]: unknown }

const classes = Object.values(schemas)

/** Whether a value is one of this module's problems. */
export const isProblem = (u: unknown): u is Problem => classes.some((c) => u instanceof c)

/** The HTTP status of a problem. */
export const status = (problem: Problem): number => kinds[problem._tag].status

/** The stable `code` of a problem: its specific code when it has one, else its kind's. */
export const code = (problem: Problem): string =>
  "code" in problem && problem.code !== undefined ? problem.code : kinds[problem._tag].code

/** The JSON body of a problem; it never holds a request id, so equal problems have equal bodies. */
export const body = (problem: Problem) => {
  const kind = kinds[problem._tag]
  const c = code(problem)
  return {
    type: `urn:aidial:problem:${c}`,
    title: kind.title,
    status: kind.status,
    code: c,
    detail: problem.detail,
    ...("current_revision" in problem && problem.current_revision !== undefined ? { current_revision: problem.current_revision } : {}),
    ...("errors" in problem && problem.errors !== undefined ? { errors: problem.errors } : {})
  }
}

/** The `application/problem+json` response of a problem, with the headers its status calls for. */
export const toResponse = (problem: Problem): HttpServerResponse.HttpServerResponse => {
  const headers: Record<string, string> = { "cache-control": "no-store" }
  if (problem._tag === "Unauthenticated") headers["www-authenticate"] = challenge
  if (problem._tag === "RateLimited") headers["retry-after"] = String(problem.retryAfterSeconds)
  if (problem._tag === "MethodNotAllowed") headers["allow"] = problem.allow
  return HttpServerResponse.unsafeJson(body(problem), {
    status: status(problem),
    contentType: ContentType,
    headers
  })
}

/** The generic 500 problem. */
export const internalError: Internal = new Internal({ detail: "The server failed to handle the request." })

/** The problems the domain errors of tags `T` become: each error's row's kind. */
export type RowProblem<T extends DomainErrorTag> = ProblemByKind[(typeof table)[T]["problem"]]

/** A domain error of one of the tags `T` (the intersection lets the compiler infer `T` from an error type). */
type Tagged<T extends DomainErrorTag> = ByTag[T] & { readonly _tag: T }

/** Each row's kind, typed per tag, so that the compiler checks the problem built against its row. */
const kindOf: { readonly [T in DomainErrorTag]: { readonly problem: (typeof table)[T]["problem"] } } = table

/** The problem a domain error becomes, by its row of `table`. */
export const fromDomain = <T extends DomainErrorTag>(error: Tagged<T>): RowProblem<T> => {
  const tag: T = error._tag
  const row = rows[tag]
  const detail = row.detail(error)
  const extensions = row.extensions === undefined ? {} : row.extensions(error)
  return make[kindOf[tag].problem](row.code === undefined ? { detail, ...extensions } : { detail, code: row.code, ...extensions })
}

/** The `code` the problem of a domain error of tag `tag` carries: its row's, else its kind's. */
export const codeOf = (tag: DomainErrorTag): string => {
  const row = rows[tag]
  return row.code ?? kinds[row.problem].code
}

/**
 * Maps a use case's failure through `table`; an error that becomes a 500 is logged on the server side
 * only. The result names exactly the problems of the failure's rows (checked, as `fromDomain` builds them
 * from those rows), so an endpoint declares what it can answer; a use case that cannot fail answers none.
 */
export const refail = <A, R, T extends DomainErrorTag = never>(self: Effect.Effect<A, Tagged<T>, R>): Effect.Effect<A, RowProblem<T>, R> =>
  Effect.catchAll(self, (error) => {
    const problem = fromDomain(error)
    return problem._tag === "Internal"
      ? Effect.zipRight(Effect.logError("use case failed", error), Effect.fail(problem))
      : Effect.fail(problem)
  })
