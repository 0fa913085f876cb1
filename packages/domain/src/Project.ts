/**
 * A voice-agent project: its metadata, its draft configuration with a revision, and its immutable
 * published versions. The decisions (what a write may touch, what publishing makes) live here; the
 * use cases in `usecases/Projects.ts` combine them with the ports.
 */
import { Schema } from "effect"
import * as Configuration from "./Configuration.js"
import * as ContentHash from "./ContentHash.js"
import { ClientId, ProjectId } from "./Ids.js"
import { DataEnvironment, DisplayName, Timezone } from "./Tenancy.js"
import * as Text from "./Text.js"

export class Project extends Schema.Class<Project>("Project")({
  id: ProjectId,
  clientId: ClientId,
  environment: DataEnvironment,
  displayName: DisplayName,
  timezone: Timezone,
  isActive: Schema.Boolean,
  createdAt: Schema.DateFromSelf
}) {}

/** A draft's revision: 0 before the first edit, then one more per accepted edit or restore. */
export const Revision = Schema.Int.pipe(Schema.greaterThanOrEqualTo(0))

/** A published version's number: contiguous from 1 per project. */
export const VersionNumber = Schema.Int.pipe(Schema.greaterThanOrEqualTo(1))

/** An optional note on a publish: at most 500 characters. */
export const PublishNote = Text.Paragraph.pipe(Schema.maxLength(500))

/** The editable configuration of a project; every accepted change makes a new revision. */
export class Draft extends Schema.Class<Draft>("Draft")({
  projectId: ProjectId,
  revision: Revision,
  document: Configuration.Document,
  updatedAt: Schema.NullOr(Schema.DateFromSelf),
  /** The audit actor id of the last writer; `null` for the initial draft. */
  updatedBy: Schema.NullOr(Schema.String),
  /** The version this revision was restored from, when it was a restore. */
  restoredFrom: Schema.NullOr(VersionNumber)
}) {}

/**
 * What publishing needs of a saved draft, without its document: the revision, the content hash of the
 * document, the runtime domains it sets, and the document's stored JSON text, written as it is into
 * the version. Storage keeps it with every save (`headOf`).
 */
export interface DraftHead {
  readonly revision: number
  readonly contentHash: string
  readonly domains: ReadonlyArray<Configuration.RuntimeDomain>
  readonly documentText: string
}

/** The head of a draft: computed once when it is saved, so that publishing neither parses nor hashes it. */
export const headOf = (draft: Draft): DraftHead => ({
  revision: draft.revision,
  contentHash: ContentHash.of(Configuration.toJson(draft.document)),
  domains: Configuration.domainsOf(draft.document),
  documentText: JSON.stringify(draft.document)
})

const versionFields = {
  projectId: ProjectId,
  version: VersionNumber,
  contentHash: Schema.String,
  /** The revision of the draft that was published. */
  revision: Revision,
  publishedAt: Schema.DateFromSelf,
  /** The audit actor id of the publisher. */
  publishedBy: Schema.String,
  note: Schema.NullOr(PublishNote)
}

/** A published version without its document: what a publish makes and answers. */
export class VersionInfo extends Schema.Class<VersionInfo>("VersionInfo")(versionFields) {}

/** An immutable snapshot of a draft: never updated, never deleted. */
export class Version extends Schema.Class<Version>("Version")({
  ...versionFields,
  document: Configuration.Document
}) {}

/** The live version of a project known by its number and content hash only. */
export interface LiveHead {
  readonly version: number
  readonly contentHash: string
}

/** The draft a project has before anything was saved: the empty document at revision 0. */
export const initialDraft = (projectId: ProjectId): Draft =>
  new Draft({
    projectId,
    revision: 0,
    document: Configuration.empty,
    updatedAt: null,
    updatedBy: null,
    restoredFrom: null
  })

/** The expected revision is not the draft's current one: someone else changed it first. */
export class RevisionMismatch extends Schema.TaggedError<RevisionMismatch>()("RevisionMismatch", {
  expected: Revision,
  current: Revision
}) {}

/** The draft is identical to the live version: publishing would create nothing. */
export class NothingToPublish extends Schema.TaggedError<NothingToPublish>()("NothingToPublish", {
  live: VersionNumber
}) {}

/** Another publish took this version number first. */
export class VersionConflict extends Schema.TaggedError<VersionConflict>()("VersionConflict", {
  version: VersionNumber
}) {}

/** The document breaks the schema: every error, each with its JSON pointer and stable code. */
export class InvalidConfiguration extends Schema.TaggedError<InvalidConfiguration>()("InvalidConfiguration", {
  errors: Schema.Array(Configuration.ValidationError)
}) {}

/** The document is larger than `Configuration.maxBytes`. */
export class ConfigurationTooLarge extends Schema.TaggedError<ConfigurationTooLarge>()("ConfigurationTooLarge", {
  bytes: Schema.Int,
  max: Schema.Int
}) {}

/** A write to a runtime domain that is not enabled for the client. */
export class DomainNotEnabled extends Schema.TaggedError<DomainNotEnabled>()("DomainNotEnabled", {
  domain: Configuration.RuntimeDomain
}) {}

/** A write to a portal-managed runtime domain with an API key: only a bearer token may. */
export class BearerOnlyDomain extends Schema.TaggedError<BearerOnlyDomain>()("BearerOnlyDomain", {
  domain: Configuration.RuntimeDomain
}) {}

/** An edit, publish or restore came without the revision it expects (HTTP: no `If-Match`). */
export class RevisionRequired extends Schema.TaggedError<RevisionRequired>()("RevisionRequired", {}) {}
