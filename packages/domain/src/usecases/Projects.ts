/**
 * Projects and their configuration (SPEC section 7): listing and metadata, the draft with its
 * revision, publish, versions, diff, restore and client entitlements. Every use case goes through
 * `authorize`; every mutation writes its audit event in the same transaction.
 */
import { Effect, Either, Option, Schema } from "effect"
import * as Configuration from "../Configuration.js"
import * as Entitlements from "../Entitlements.js"
import type { ClientId, PartnerOrgId, ProjectId } from "../Ids.js"
import { ProjectId as ProjectIdSchema } from "../Ids.js"
import * as Json from "../Json.js"
import * as JsonPatch from "../JsonPatch.js"
import * as MergePatch from "../MergePatch.js"
import type * as Page from "../Page.js"
import * as Policy from "../Policy.js"
import { ClientRepo } from "../ports/ClientRepo.js"
import { Clock } from "../ports/Clock.js"
import { DraftRepo } from "../ports/DraftRepo.js"
import { EntitlementRepo } from "../ports/EntitlementRepo.js"
import { IdGenerator } from "../ports/IdGenerator.js"
import { ProjectRepo, type ProjectFilter } from "../ports/ProjectRepo.js"
import { Transactor } from "../ports/Transactor.js"
import { VersionRepo } from "../ports/VersionRepo.js"
import type { Principal } from "../Principal.js"
import type { StorageError } from "../StorageError.js"
import {
  ConfigurationTooLarge,
  Draft,
  headOf,
  initialDraft,
  InvalidConfiguration,
  NothingToPublish,
  Project,
  PublishNote,
  RevisionMismatch,
  RevisionRequired,
  VersionInfo
} from "../Project.js"
import { type DataEnvironment, DisplayName, Timezone } from "../Tenancy.js"
import * as Traced from "../Traced.js"
import * as Access from "./Access.js"
import * as AuditTrail from "./AuditTrail.js"
import * as Directory from "./Directory.js"

/** The storage filter that covers exactly the projects a principal may view; `null` when none. */
export const projectScope = (principal: Principal): ProjectFilter | null => {
  switch (principal._tag) {
    case "PlatformUser":
      return principal.selectedClientId === null ? null : { clientIds: [principal.selectedClientId] }
    case "ApiKey":
      return { clientIds: [principal.clientId], environment: principal.environment }
    default:
      return Directory.clientScope(principal)
  }
}

const emptyPage: Page.Page<never> = { items: [], next: null }

/** Selects no project: the scope of a principal that may view none. */
const noProjects: ProjectFilter = { clientIds: [] }

/** Narrows a project listing on request. */
export interface ProjectQuery {
  readonly clientId?: ClientId
  readonly environment?: DataEnvironment
}

const narrow = (scope: ProjectFilter, query: ProjectQuery): ProjectFilter => ({
  ...scope,
  ...(query.environment !== undefined && scope.environment === undefined ? { environment: query.environment } : {}),
  ...(query.clientId !== undefined
    ? { clientIds: (scope.clientIds ?? [query.clientId]).filter((id) => id === query.clientId) }
    : {})
})

/**
 * The projects the principal may view, one page in id order (`projectScope` selects exactly those). A
 * `clientId` (a filter, or a platform user's selection) names a client the principal may view, else `NotFound`
 * like any unknown client.
 */
export const listProjects = (
  principal: Principal,
  query: ProjectQuery,
  page: Page.PageRequest
): Effect.Effect<Page.Page<Project>, StorageError | Policy.NotFound | Policy.Forbidden, ProjectRepo | ClientRepo> => {
  // A plain chain, not a generator: this runs on every listing request.
  const scope = projectScope(principal)
  const list = scope === null
    ? Effect.succeed(emptyPage)
    : Effect.flatMap(ProjectRepo, (projects) => projects.list(narrow(scope, query), page))
  return Traced.span("Projects.listProjects")(
    query.clientId === undefined ? list : Effect.zipRight(Directory.loadClient(principal, "client.view", query.clientId), list)
  )
}

/**
 * Loads a project the principal may act on, with its client: `NotFound` when missing or out of scope,
 * after the same two reads (project, then client) either way. The project read is scoped (`projectScope`),
 * so one out of scope returns nothing from storage, as a missing one does: neither decodes a row nor reaches
 * `authorize`, which then decides the action on a project in view.
 */
export const loadProject = Effect.fnUntraced(
  function*(principal: Principal, action: Policy.Action, id: ProjectId) {
    // Scoped: a project out of scope returns nothing, as a missing one does; then both read a client no id names.
    const project = yield* (yield* ProjectRepo).getWithin(id, projectScope(principal) ?? noProjects)
    const client = yield* (yield* ClientRepo).get(Option.isSome(project) ? project.value.clientId : Directory.absentClientId)
    if (Option.isNone(project) || Option.isNone(client)) return yield* new Policy.NotFound({ resource: "project" })
    yield* Access.require(principal, action, Policy.clientTarget(client.value, project.value.environment), "project")
    return { project: project.value, client: client.value }
  },
  Traced.span("Projects.loadProject")
)

/** One project, if the principal may view it. */
export const getProject = (principal: Principal, id: ProjectId) =>
  Effect.map(loadProject(principal, "project.view", id), ({ project }) => project)

/** What creating a project takes; the client and environment default to the caller's own where it has one. */
export interface CreateInput {
  readonly clientId?: ClientId
  readonly environment?: DataEnvironment
  readonly displayName: string
  readonly timezone: string
}

/** The metadata an update may change; absent fields stay. */
export interface UpdateInput {
  readonly displayName?: string
  readonly timezone?: string
  readonly isActive?: boolean
}

const projectEvent = (
  project: Project,
  partnerOrgId: PartnerOrgId | null,
  action: string,
  details: Record<string, string> = {}
): AuditTrail.Entry => ({
  action,
  targetType: "project",
  targetId: project.id,
  clientId: project.clientId,
  partnerOrgId,
  details
})

/** The client a new project goes to: the one named, else the key's, customer's or selected one. */
const ownerOf = (principal: Principal, clientId: ClientId | undefined): ClientId | null => {
  if (clientId !== undefined) return clientId
  switch (principal._tag) {
    case "ApiKey":
    case "CustomerUser":
      return principal.clientId
    case "PlatformUser":
      return principal.selectedClientId
    default:
      return null
  }
}

/**
 * Creates a project (`project.edit`): a partner admin or a platform admin with the client selected,
 * or a `manage` key in its own client and environment.
 */
export const create = Effect.fnUntraced(function*(principal: Principal, input: CreateInput) {
  const clientId = ownerOf(principal, input.clientId)
  if (clientId === null) return yield* new Policy.NotFound({ resource: "client" })
  const environment = input.environment ?? (principal._tag === "ApiKey" ? principal.environment : "live")
  const displayName = yield* Schema.decode(DisplayName)(input.displayName)
  const timezone = yield* Schema.decode(Timezone)(input.timezone)
  return yield* (yield* Transactor).withTransaction(Effect.gen(function*() {
    const client = yield* (yield* ClientRepo).get(clientId)
    if (Option.isNone(client)) return yield* new Policy.NotFound({ resource: "client" })
    yield* Access.require(principal, "project.edit", Policy.clientTarget(client.value, environment), "client")
    const id = ProjectIdSchema.make(yield* (yield* IdGenerator).make("project"))
    const createdAt = yield* (yield* Clock).now
    const project = new Project({ id, clientId, environment, displayName, timezone, isActive: true, createdAt })
    yield* (yield* ProjectRepo).insert(project)
    yield* AuditTrail.record(
      AuditTrail.actorOf(principal),
      projectEvent(project, client.value.partnerOrgId, "project.create", { environment, display_name: displayName })
    )
    return project
  }))
}, Traced.span("Projects.create"))

/** Updates a project's metadata (`project.edit`). */
export const update = Effect.fnUntraced(function*(principal: Principal, id: ProjectId, input: UpdateInput) {
  const displayName = input.displayName === undefined ? undefined : yield* Schema.decode(DisplayName)(input.displayName)
  const timezone = input.timezone === undefined ? undefined : yield* Schema.decode(Timezone)(input.timezone)
  return yield* (yield* Transactor).withTransaction(Effect.gen(function*() {
    const { client, project } = yield* loadProject(principal, "project.edit", id)
    const next = new Project({
      ...project,
      displayName: displayName ?? project.displayName,
      timezone: timezone ?? project.timezone,
      isActive: input.isActive ?? project.isActive
    })
    yield* (yield* ProjectRepo).update(next)
    const details: Record<string, string> = {}
    if (displayName !== undefined) details["display_name"] = displayName
    if (timezone !== undefined) details["timezone"] = timezone
    if (input.isActive !== undefined) details["is_active"] = String(input.isActive)
    yield* AuditTrail.record(AuditTrail.actorOf(principal), projectEvent(next, client.partnerOrgId, "project.edit", details))
    return next
  }))
}, Traced.span("Projects.update"))

const currentDraft = (projectId: ProjectId) =>
  Effect.map(Effect.flatMap(DraftRepo, (drafts) => drafts.get(projectId)), Option.getOrElse(() => initialDraft(projectId)))

const enabledFor = (clientId: ClientId) =>
  Effect.map(
    Effect.flatMap(EntitlementRepo, (repo) => repo.get(clientId)),
    (found) => Entitlements.enabledSet(Option.getOrElse(found, () => Entitlements.initial(clientId)))
  )

/** The project's draft with its revision (`project.view`). */
export const getDraft = Effect.fnUntraced(function*(principal: Principal, id: ProjectId) {
  yield* loadProject(principal, "project.view", id)
  return yield* currentDraft(id)
}, Traced.span("Projects.getDraft"))

const requireRevision = (expected: number | null) =>
  expected === null ? Effect.fail(new RevisionRequired()) : Effect.succeed(expected)

const checkRevision = (draft: Draft, expected: number) =>
  draft.revision === expected ? Effect.void : Effect.fail(new RevisionMismatch({ expected, current: draft.revision }))

/** The document a merge patch makes of the draft, checked whole: size first, then every validation error. */
const patched = (
  draft: Draft,
  patch: Json.Json,
  enabled: ReadonlySet<Configuration.RuntimeDomain>
): Either.Either<Configuration.Document, ConfigurationTooLarge | InvalidConfiguration> => {
  const next = MergePatch.apply(Configuration.toJson(draft.document), patch)
  const bytes = Configuration.sizeOf(next)
  if (bytes > Configuration.maxBytes) return Either.left(new ConfigurationTooLarge({ bytes, max: Configuration.maxBytes }))
  return Either.mapLeft(Configuration.validate(next, enabled), (errors) => new InvalidConfiguration({ errors }))
}

const writeAllowed = (principal: Principal, clientId: ClientId, touched: ReadonlyArray<string>) =>
  Effect.flatMap(enabledFor(clientId), (enabled) =>
    Either.match(Entitlements.checkWrite(principal, enabled, touched), {
      onLeft: (refusal) => Effect.fail(refusal),
      onRight: () => Effect.succeed(enabled)
    }))

/** Saves `document` as the draft's revision after `revision`, written by `principal` now (from version `restoredFrom`, if a restore). */
const saveNextRevision = (
  principal: Principal,
  projectId: ProjectId,
  revision: number,
  document: Configuration.Document,
  restoredFrom: number | null
) =>
  Effect.gen(function*() {
    const next = new Draft({
      projectId,
      revision: revision + 1,
      document,
      updatedAt: yield* (yield* Clock).now,
      updatedBy: AuditTrail.actorOf(principal).id,
      restoredFrom
    })
    yield* (yield* DraftRepo).save(next, revision)
    return next
  })

/** A JSON value as the HTTP adapter parsed it; anything else is a `ParseError`. */
const decodeJson = Schema.decodeUnknown(Json.Json)

/**
 * Applies a JSON merge patch to the draft (`project.edit`) if it is still at `expected`: every domain
 * written must be enabled (and not bearer-only for an API key), and the result must validate whole.
 */
export const patchDraft = Effect.fnUntraced(
  function*(principal: Principal, id: ProjectId, expected: number | null, body: unknown) {
    const revision = yield* requireRevision(expected)
    const patch = yield* decodeJson(body)
    return yield* (yield* Transactor).withTransaction(Effect.gen(function*() {
      const { client, project } = yield* loadProject(principal, "project.edit", id)
      const draft = yield* currentDraft(id)
      yield* checkRevision(draft, revision)
      const touched = MergePatch.touchedKeys(patch)
      const enabled = yield* writeAllowed(principal, project.clientId, touched)
      const document = yield* patched(draft, patch, enabled)
      const next = yield* saveNextRevision(principal, id, revision, document, null)
      yield* AuditTrail.record(
        AuditTrail.actorOf(principal),
        projectEvent(project, client.partnerOrgId, "project.draft.edit", {
          revision: String(next.revision),
          domains: touched.filter(Configuration.isDomain).join(",")
        })
      )
      return next
    }))
  },
  Traced.span("Projects.patchDraft")
)

/** The outcome of a dry run: the errors the draft (with the patch, if any) would be refused with. */
export interface ValidationReport {
  readonly valid: boolean
  readonly errors: ReadonlyArray<Configuration.ValidationError>
}

/**
 * Validates the draft, with the merge patch `body` applied when given (not `null`), exactly as `patchDraft` and
 * `publish` would, changing nothing (`project.edit`): a domain that is not enabled is one of the errors
 * listed; a bearer-only domain written with an API key is refused as the edit would be.
 */
export const validateDraft = Effect.fnUntraced(
  function*(principal: Principal, id: ProjectId, body: unknown) {
    const patch = body === undefined || body === null ? null : yield* decodeJson(body)
    const { project } = yield* loadProject(principal, "project.edit", id)
    const draft = yield* currentDraft(id)
    const touched = patch === null ? [] : MergePatch.touchedKeys(patch)
    const refusal = Entitlements.checkWrite(principal, new Set(Configuration.domains), touched)
    if (Either.isLeft(refusal)) return yield* refusal.left
    const result = patched(draft, patch ?? {}, yield* enabledFor(project.clientId))
    if (Either.isRight(result)) return { valid: true, errors: [] } satisfies ValidationReport
    const error = result.left
    if (error._tag === "ConfigurationTooLarge") return yield* error
    return { valid: false, errors: error.errors } satisfies ValidationReport
  },
  Traced.span("Projects.validateDraft")
)

/**
 * Publishes the draft at `expected` (`project.publish`): snapshotted as version N+1 with its content
 * hash, and made live. A draft equal to the live version is `NothingToPublish`.
 *
 * The stored draft was validated whole when it was saved, and its head (content hash, domains, JSON
 * text) was stored with it; what can have changed since is the client's entitlements, checked on the
 * domains it sets. So publishing neither parses nor hashes the document: it compares hashes and copies
 * the stored text into the version.
 */
export const publish = Effect.fnUntraced(
  function*(principal: Principal, id: ProjectId, expected: number | null, note: string | null) {
    const revision = yield* requireRevision(expected)
    const checkedNote = note === null ? null : yield* Schema.decode(PublishNote)(note)
    return yield* (yield* Transactor).withTransaction(Effect.gen(function*() {
      const { client, project } = yield* loadProject(principal, "project.publish", id)
      const head = Option.getOrElse(yield* (yield* DraftRepo).head(id), () => headOf(initialDraft(id)))
      if (head.revision !== revision) return yield* new RevisionMismatch({ expected: revision, current: head.revision })
      const disabled = Configuration.checkEnabledDomains(head.domains, yield* enabledFor(project.clientId))
      if (disabled.length > 0) return yield* new InvalidConfiguration({ errors: disabled })
      const versions = yield* VersionRepo
      const live = yield* versions.liveHead(id)
      if (Option.isSome(live) && live.value.contentHash === head.contentHash) {
        return yield* new NothingToPublish({ live: live.value.version })
      }
      // Every field is known valid here (the hash and revision from storage, the rest built above).
      const version = new VersionInfo({
        projectId: id,
        version: Option.match(live, { onNone: () => 1, onSome: (v) => v.version + 1 }),
        contentHash: head.contentHash,
        revision,
        publishedAt: yield* (yield* Clock).now,
        publishedBy: AuditTrail.actorOf(principal).id ?? "unknown",
        note: checkedNote
      }, { disableValidation: true })
      yield* versions.insertText(version, head.documentText)
      yield* AuditTrail.record(
        AuditTrail.actorOf(principal),
        projectEvent(project, client.partnerOrgId, "project.publish", {
          version: String(version.version),
          revision: String(revision),
          content_hash: version.contentHash
        })
      )
      return version
    }))
  },
  Traced.span("Projects.publish")
)

/** Every published version of the project, in order (`project.view`). */
export const listVersions = Effect.fnUntraced(function*(principal: Principal, id: ProjectId) {
  yield* loadProject(principal, "project.view", id)
  return yield* (yield* VersionRepo).list(id)
}, Traced.span("Projects.listVersions"))

const loadVersion = (id: ProjectId, n: number) =>
  Effect.flatMap(
    Effect.flatMap(VersionRepo, (versions) => versions.get(id, n)),
    Option.match({
      onNone: () => Effect.fail(new Policy.NotFound({ resource: "version" })),
      onSome: Effect.succeed
    })
  )

/** Version `n` of the project (`project.view`). */
export const getVersion = Effect.fnUntraced(function*(principal: Principal, id: ProjectId, n: number) {
  yield* loadProject(principal, "project.view", id)
  return yield* loadVersion(id, n)
}, Traced.span("Projects.getVersion"))

/** One side of a diff: the draft, the live version or a version number. */
export type DiffSide = "draft" | "live" | number

const documentAt = (id: ProjectId, side: DiffSide) => {
  if (side === "draft") return Effect.map(currentDraft(id), (d) => Configuration.toJson(d.document))
  if (side === "live") {
    return Effect.flatMap(
      Effect.flatMap(VersionRepo, (versions) => versions.live(id)),
      Option.match({
        onNone: () => Effect.fail(new Policy.NotFound({ resource: "live version" })),
        onSome: (v) => Effect.succeed(Configuration.toJson(v.document))
      })
    )
  }
  return Effect.map(loadVersion(id, side), (v) => Configuration.toJson(v.document))
}

/** The RFC 6902 JSON Patch from one side to the other (`project.view`). */
export const diff = Effect.fnUntraced(function*(principal: Principal, id: ProjectId, from: DiffSide, to: DiffSide) {
  yield* loadProject(principal, "project.view", id)
  return JsonPatch.diff(yield* documentAt(id, from), yield* documentAt(id, to))
}, Traced.span("Projects.diff"))

/**
 * Makes the draft a copy of version `n` as a new revision (`project.restore`) if it is still at
 * `expected`; the domains that change must be writable by the caller, as for an edit.
 */
export const restore = Effect.fnUntraced(
  function*(principal: Principal, id: ProjectId, n: number, expected: number | null) {
    const revision = yield* requireRevision(expected)
    return yield* (yield* Transactor).withTransaction(Effect.gen(function*() {
      const { client, project } = yield* loadProject(principal, "project.restore", id)
      const version = yield* loadVersion(id, n)
      const draft = yield* currentDraft(id)
      yield* checkRevision(draft, revision)
      yield* writeAllowed(
        principal,
        project.clientId,
        MergePatch.changedKeys(Configuration.toJson(draft.document), Configuration.toJson(version.document))
      )
      const next = yield* saveNextRevision(principal, id, revision, version.document, n)
      yield* AuditTrail.record(
        AuditTrail.actorOf(principal),
        projectEvent(project, client.partnerOrgId, "project.restore", {
          restored_from: String(n),
          revision: String(next.revision)
        })
      )
      return next
    }))
  },
  Traced.span("Projects.restore")
)

/** The client's entitlements (`entitlement.view`: signed-in users in scope, never an API key). */
export const getEntitlements = Effect.fnUntraced(function*(principal: Principal, clientId: ClientId) {
  yield* Directory.loadClient(principal, "entitlement.view", clientId)
  const found = yield* (yield* EntitlementRepo).get(clientId)
  return Option.getOrElse(found, () => Entitlements.initial(clientId))
}, Traced.span("Projects.getEntitlements"))

/** Sets which runtime domains the client has enabled (`entitlement.manage`: aidial_admin only); `agent` stays on. */
export const setEntitlements = Effect.fnUntraced(
  function*(principal: Principal, clientId: ClientId, enabled: ReadonlyArray<Configuration.RuntimeDomain>) {
    return yield* (yield* Transactor).withTransaction(Effect.gen(function*() {
      const client = yield* Directory.loadClient(principal, "entitlement.manage", clientId)
      const next = new Entitlements.Entitlements({
        clientId,
        enabled: Entitlements.normalize(enabled),
        updatedAt: yield* (yield* Clock).now
      })
      yield* (yield* EntitlementRepo).put(next)
      yield* AuditTrail.record(AuditTrail.actorOf(principal), {
        action: "entitlement.manage",
        targetType: "client",
        targetId: clientId,
        clientId,
        partnerOrgId: client.partnerOrgId,
        details: { enabled: next.enabled.join(",") }
      })
      return next
    }))
  },
  Traced.span("Projects.setEntitlements")
)
