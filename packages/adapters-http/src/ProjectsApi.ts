/**
 * Endpoint declarations for projects and their configuration (handlers in `ProjectsHttp`): the
 * project list and metadata, the draft (ETag = revision, edited by JSON merge patch under
 * `If-Match`), validation, publish, versions, diff, restore, and the client's entitlements (bearer only).
 */
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "@effect/platform"
import { Configuration, Ids, Project as DomainProject, type Projects, Tenancy, Text } from "@aidial/domain"
import { Either, ParseResult, Schema } from "effect"
import * as Authentication from "./Authentication.js"
import * as Body from "./Body.js"
import * as Cursor from "./Cursor.js"
import * as Example from "./Example.js"
import * as Failures from "./Failures.js"
import * as RequestContext from "./RequestContext.js"
import * as Security from "./Security.js"

/** The media type of a draft edit (RFC 7396). */
export const mergePatchType = "application/merge-patch+json"

const ProjectFields = Schema.Struct({
  project_id: Schema.String,
  client_id: Schema.String,
  display_name: Schema.String,
  timezone: Schema.String,
  is_active: Schema.Boolean,
  environment: Tenancy.DataEnvironment
}).annotations({ identifier: "Project" })

const projectExample: typeof ProjectFields.Encoded = {
  project_id: "prj_frontdesk",
  client_id: "cli_harbour",
  display_name: "Front desk",
  timezone: "Australia/Sydney",
  is_active: true,
  environment: "live"
}

export const Project = Example.wire(ProjectFields, projectExample)

export const ProjectList = Example.wire(
  Cursor.page({ projects: Schema.Array(Project) }).annotations({ identifier: "ProjectList" }),
  { projects: [projectExample], next_cursor: null }
)

/** `POST /v1/projects` body. */
export const CreateProject = Example.wire(Body.strict({
  display_name: Text.Line,
  timezone: Text.Line.annotations({ description: "An IANA time zone such as Australia/Sydney." }),
  environment: Schema.optional(Tenancy.DataEnvironment.annotations({
    description: "Defaults to an API key's own environment, else live."
  })),
  client_id: Schema.optional(Ids.ClientId.annotations({
    description: "The owning client; defaults to the key's, the customer's or the selected client."
  }))
}).annotations({ identifier: "CreateProject" }), { display_name: "Front desk", timezone: "Australia/Sydney", environment: "live" })

/** `PATCH /v1/projects/{projectId}` body: absent fields stay. */
export const UpdateProject = Example.wire(Body.strict({
  display_name: Schema.optional(Text.Line),
  timezone: Schema.optional(Text.Line),
  is_active: Schema.optional(Schema.Boolean)
}).annotations({ identifier: "UpdateProject" }), { display_name: "Front desk (after hours)", is_active: true })

/** The draft configuration; its `revision` is also its ETag. */
const documentExample: typeof Configuration.Document.Encoded = {
  agent: {
    instructions: "Answer questions about opening hours and book appointments.",
    first_message: "Thanks for calling Harbour Dental, how can I help?",
    language: "en-AU",
    voice: "aria",
    model: "standard"
  },
  knowledge: { knowledge_base_ids: ["kb_faq"] }
}

export const Draft = Example.wire(Schema.Struct({
  project_id: Schema.String,
  revision: Schema.Int,
  document: Configuration.Document,
  updated_at: Schema.NullOr(Schema.String),
  updated_by: Schema.NullOr(Schema.String),
  restored_from: Schema.NullOr(Schema.Int)
}).annotations({ identifier: "Draft", description: "The draft; the response's ETag is its revision." }), {
  project_id: "prj_frontdesk",
  revision: 4,
  document: documentExample,
  updated_at: "2026-02-01T10:00:00.000Z",
  updated_by: "usr_nina",
  restored_from: null
})

/** A published version without its document. */
const VersionSummaryFields = Schema.Struct({
  version: Schema.Int,
  content_hash: Schema.String,
  revision: Schema.Int,
  published_at: Schema.String,
  published_by: Schema.String,
  note: Schema.NullOr(Schema.String),
  live: Schema.Boolean
}).annotations({ identifier: "VersionSummary" })

const versionExample: typeof VersionSummaryFields.Encoded = {
  version: 2,
  content_hash: "sha256:9f2c4e1b7a0d3c5e8f6a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6a",
  revision: 4,
  published_at: "2026-02-01T10:05:00.000Z",
  published_by: "usr_nina",
  note: "New greeting for the holidays",
  live: true
}

export const VersionSummary = Example.wire(VersionSummaryFields, versionExample)

export const VersionList = Example.wire(
  Schema.Struct({ versions: Schema.Array(VersionSummary) }).annotations({ identifier: "VersionList" }),
  { versions: [versionExample] }
)

/** A published version with its document. */
export const Version = Example.wire(Schema.Struct({
  ...VersionSummaryFields.fields,
  document: Configuration.Document
}).annotations({ identifier: "Version" }), { ...versionExample, document: documentExample })

export const ValidationReport = Example.wire(Schema.Struct({
  valid: Schema.Boolean,
  errors: Schema.Array(Configuration.ValidationError)
}).annotations({ identifier: "ValidationReport" }), {
  valid: false,
  errors: [{ pointer: "/telephony/caller_id", code: "invalid_e164", message: "must be an E.164 number such as +61290000000" }]
})

/** `POST .../draft/validate` body: a merge patch to try on the draft, or none to check the draft as it is. */
export const ValidateDraft = Example.wire(
  Body.strict({ patch: Schema.optional(Schema.Unknown) }).annotations({ identifier: "ValidateDraft" }),
  { patch: { agent: { first_message: "Thanks for calling Harbour Dental, how can I help?" } } }
)

/** `POST .../publish` body. */
export const Publish = Example.wire(
  Body.strict({ note: Schema.optional(Text.Paragraph) }).annotations({ identifier: "Publish" }),
  { note: "New greeting for the holidays" }
)

export const Diff = Example.wire(Schema.Struct({
  from: Schema.String,
  to: Schema.String,
  operations: Schema.Array(Schema.Struct({
    op: Schema.Literal("add", "remove", "replace"),
    path: Schema.String,
    value: Schema.optional(Schema.Unknown)
  }))
}).annotations({ identifier: "Diff", description: "The RFC 6902 JSON Patch that turns `from` into `to`." }), {
  from: "1",
  to: "draft",
  operations: [{ op: "replace", path: "/agent/first_message", value: "Thanks for calling Harbour Dental, how can I help?" }]
})

export const Entitlements = Example.wire(Schema.Struct({
  client_id: Schema.String,
  enabled: Schema.Array(Configuration.RuntimeDomain),
  updated_at: Schema.NullOr(Schema.String)
}).annotations({ identifier: "Entitlements" }), {
  client_id: "cli_harbour",
  enabled: ["agent", "knowledge", "business_hours"],
  updated_at: "2026-01-20T09:00:00.000Z"
})

/** `PUT /v1/clients/{clientId}/entitlements` body. */
export const SetEntitlements = Example.wire(Body.strict({
  enabled: Schema.Array(Configuration.RuntimeDomain).annotations({ description: "agent is always enabled." })
}).annotations({ identifier: "SetEntitlements" }), { enabled: ["agent", "knowledge", "business_hours"] })

const decoder = new TextDecoder("utf-8", { fatal: true })

/**
 * A merge-patch body: the platform hands a body of a media type other than JSON over as bytes, so the
 * bytes are parsed here (the request envelope has already checked the media type, size and UTF-8).
 */
export const MergePatch = Schema.transformOrFail(Schema.Unknown, Schema.Unknown, {
  strict: true,
  decode: (input, _, ast) => {
    if (!(input instanceof Uint8Array)) return ParseResult.succeed(input)
    const parsed = Either.try(() => JSON.parse(decoder.decode(input)))
    return Either.isRight(parsed)
      ? ParseResult.succeed(parsed.right)
      : ParseResult.fail(new ParseResult.Type(ast, input, "the body is not JSON"))
  },
  encode: ParseResult.succeed
}).annotations({
  identifier: "MergePatch",
  description: "An RFC 7396 JSON merge patch of the configuration document: objects merge, null removes a key (a runtime domain is removed only where it is enabled).",
  jsonSchema: {
    type: "object",
    description: "An RFC 7396 JSON merge patch of the configuration document.",
    examples: [{ agent: { first_message: "Thanks for calling Harbour Dental, how can I help?" } }]
  }
}).pipe(HttpApiSchema.withEncoding({ kind: "Json", contentType: mergePatchType }))

/** `If-Match: "<revision>"` (a weak `W/` prefix and a bare number are accepted). */
export const IfMatch = Schema.transformOrFail(Schema.String, DomainProject.Revision, {
  strict: true,
  decode: (header, _, ast) => {
    const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header)
    return match?.[1] === undefined
      ? ParseResult.fail(new ParseResult.Type(ast, header, "If-Match: must be the draft's ETag, such as \"3\""))
      : ParseResult.succeed(Number(match[1]))
  },
  encode: (revision) => ParseResult.succeed(`"${revision}"`)
})

const Conditional = Schema.Struct({
  "if-match": Schema.optional(IfMatch.annotations({ description: "The draft's revision, as its ETag gives it." }))
})

/** A side of a diff: `draft`, `live` or a version number. */
export const DiffSide = Schema.Union(Schema.Literal("draft", "live"), Schema.NumberFromString.pipe(Schema.int(), Schema.greaterThanOrEqualTo(1)))

const selection = {
  client_id: Schema.optional(Ids.ClientId.annotations({
    description: "Platform users (aidial_admin, aidial_operator) select the client to act on here."
  }))
}
const Selection = Schema.Struct(selection)
const ProjectPath = Schema.Struct({ projectId: Ids.ProjectId })
const VersionPath = Schema.Struct({ projectId: Ids.ProjectId, version: Schema.NumberFromString.pipe(Schema.int()) })

export const group = HttpApiGroup.make("projects")
  .add(
    HttpApiEndpoint.get("listProjects", "/projects")
      .setUrlParams(Schema.Struct({ ...Cursor.PageParams, ...selection, environment: Schema.optional(Tenancy.DataEnvironment) }))
      .addSuccess(ProjectList)
      .addError(Failures.of<typeof Projects.listProjects>()("Forbidden", "NotFound", "StorageError"))
      .annotate(OpenApi.Summary, "Projects in the caller's scope, in id order")
  )
  .add(
    HttpApiEndpoint.post("createProject", "/projects")
      .setUrlParams(Selection)
      .setPayload(CreateProject)
      .addSuccess(Project, { status: 201 })
      .addError(Failures.of<typeof Projects.create>()("Forbidden", "NotFound", "ParseError", "StorageError"))
      .annotate(OpenApi.Summary, "Create a project (project.edit; a manage key in its own client and environment)")
  )
  .add(
    HttpApiEndpoint.get("getProject", "/projects/:projectId")
      .setPath(ProjectPath)
      .setUrlParams(Selection)
      .addSuccess(Project)
      .addError(Failures.of<typeof Projects.getProject>()("Forbidden", "NotFound", "StorageError"))
      .annotate(OpenApi.Summary, "One project in the caller's scope")
  )
  .add(
    HttpApiEndpoint.patch("updateProject", "/projects/:projectId")
      .setPath(ProjectPath)
      .setUrlParams(Selection)
      .setPayload(UpdateProject)
      .addSuccess(Project)
      .addError(Failures.of<typeof Projects.update>()("Forbidden", "NotFound", "ParseError", "StorageError"))
      .annotate(OpenApi.Summary, "Edit a project's display name, timezone or is_active")
  )
  .add(
    HttpApiEndpoint.get("getDraft", "/projects/:projectId/draft")
      .setPath(ProjectPath)
      .setUrlParams(Selection)
      .addSuccess(Draft)
      .addError(Failures.of<typeof Projects.getDraft>()("Forbidden", "NotFound", "StorageError"))
      .annotate(OpenApi.Summary, "The draft configuration; ETag is its revision")
  )
  .add(
    HttpApiEndpoint.patch("patchDraft", "/projects/:projectId/draft")
      .setPath(ProjectPath)
      .setUrlParams(Selection)
      .setHeaders(Conditional)
      .setPayload(MergePatch)
      .addSuccess(Draft)
      .addError(Failures.of<typeof Projects.patchDraft>()("BearerOnlyDomain", "ConfigurationTooLarge", "DomainNotEnabled", "Forbidden", "InvalidConfiguration", "NotFound", "ParseError", "RevisionMismatch", "RevisionRequired", "StorageError"))
      .annotate(OpenApi.Summary, "Edit the draft with a JSON merge patch; If-Match required (428 without, 412 when stale)")
  )
  .add(
    HttpApiEndpoint.post("validateDraft", "/projects/:projectId/draft/validate")
      .setPath(ProjectPath)
      .setUrlParams(Selection)
      .setPayload(ValidateDraft)
      .addSuccess(ValidationReport)
      .addError(Failures.of<typeof Projects.validateDraft>()("BearerOnlyDomain", "ConfigurationTooLarge", "DomainNotEnabled", "Forbidden", "NotFound", "ParseError", "StorageError"))
      .annotate(OpenApi.Summary, "Dry run: every error the draft (with an optional patch) would be refused with")
  )
  .add(
    HttpApiEndpoint.post("publish", "/projects/:projectId/publish")
      .setPath(ProjectPath)
      .setUrlParams(Selection)
      .setHeaders(Conditional)
      .setPayload(Publish)
      .addSuccess(VersionSummary, { status: 201 })
      .addError(Failures.of<typeof Projects.publish>()("Forbidden", "InvalidConfiguration", "NotFound", "NothingToPublish", "ParseError", "RevisionMismatch", "RevisionRequired", "StorageError", "VersionConflict"))
      .annotate(OpenApi.Summary, "Publish the reviewed draft revision (If-Match) as the next version, made live")
  )
  .add(
    HttpApiEndpoint.get("listVersions", "/projects/:projectId/versions")
      .setPath(ProjectPath)
      .setUrlParams(Selection)
      .addSuccess(VersionList)
      .addError(Failures.of<typeof Projects.listVersions>()("Forbidden", "NotFound", "StorageError"))
      .annotate(OpenApi.Summary, "Every published version, oldest first")
  )
  .add(
    HttpApiEndpoint.get("getVersion", "/projects/:projectId/versions/:version")
      .setPath(VersionPath)
      .setUrlParams(Selection)
      .addSuccess(Version)
      .addError(Failures.of<typeof Projects.getVersion | typeof Projects.listVersions>()("Forbidden", "NotFound", "StorageError"))
      .annotate(OpenApi.Summary, "One published version with its document")
  )
  .add(
    HttpApiEndpoint.get("diff", "/projects/:projectId/diff")
      .setPath(ProjectPath)
      .setUrlParams(Schema.Struct({ ...selection, from: DiffSide, to: DiffSide }))
      .addSuccess(Diff)
      .addError(Failures.of<typeof Projects.diff>()("Forbidden", "NotFound", "StorageError"))
      .annotate(OpenApi.Summary, "The RFC 6902 difference between two versions, or the draft and live")
  )
  .add(
    HttpApiEndpoint.post("restore", "/projects/:projectId/versions/:version/restore")
      .setPath(VersionPath)
      .setUrlParams(Selection)
      .setHeaders(Conditional)
      .addSuccess(Draft)
      .addError(Failures.of<typeof Projects.restore>()("BearerOnlyDomain", "DomainNotEnabled", "Forbidden", "NotFound", "RevisionMismatch", "RevisionRequired", "StorageError"))
      .annotate(OpenApi.Summary, "Make the draft a copy of this version as a new revision (If-Match)")
  )
  .add(
    HttpApiEndpoint.get("getEntitlements", "/clients/:clientId/entitlements")
      .setPath(Schema.Struct({ clientId: Ids.ClientId }))
      .addSuccess(Entitlements)
      .addError(Failures.of<typeof Projects.getEntitlements>()("Forbidden", "NotFound", "StorageError"))
      .annotate(OpenApi.Summary, "The runtime domains enabled for a client (bearer only)")
      .annotateContext(Security.bearerOnly)
  )
  .add(
    HttpApiEndpoint.put("setEntitlements", "/clients/:clientId/entitlements")
      .setPath(Schema.Struct({ clientId: Ids.ClientId }))
      .setPayload(SetEntitlements)
      .addSuccess(Entitlements)
      .addError(Failures.of<typeof Projects.setEntitlements>()("Forbidden", "NotFound", "StorageError"))
      .annotate(OpenApi.Summary, "Enable runtime domains for a client (aidial_admin, bearer only)")
      .annotateContext(Security.bearerOnly)
  )
  .middleware(Authentication.Authentication)
  .annotate(OpenApi.Title, "Projects")
  .annotate(OpenApi.Description, "Voice-agent projects of a client: their configuration drafts (edited with `If-Match`), published versions and entitlements.")
