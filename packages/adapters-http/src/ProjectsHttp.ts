/** Handlers for `ProjectsApi`: thin translations between HTTP shapes and the `Projects` use cases. */
import { HttpApiBuilder, HttpApp, HttpServerResponse } from "@effect/platform"
import {
  type Entitlements,
  type Project,
  Projects
} from "@aidial/domain"
import { Effect } from "effect"
import { Api, type Group } from "./Api.js"
import { CurrentPrincipal } from "./Authentication.js"
import * as Cursor from "./Cursor.js"
import * as Problem from "./Problem.js"
import * as ProjectsApi from "./ProjectsApi.js"
import * as WireBody from "./WireBody.js"

/** The JSON form of a project (the seed's shape plus `environment`). */
export const project = (p: Project.Project): typeof ProjectsApi.Project.Type => ({
  project_id: p.id,
  client_id: p.clientId,
  display_name: p.displayName,
  timezone: p.timezone,
  is_active: p.isActive,
  environment: p.environment
})

/** The JSON form of a draft. */
export const draft = (d: Project.Draft): typeof ProjectsApi.Draft.Type => ({
  project_id: d.projectId,
  revision: d.revision,
  document: d.document,
  updated_at: d.updatedAt === null ? null : d.updatedAt.toISOString(),
  updated_by: d.updatedBy,
  restored_from: d.restoredFrom
})

/** The JSON form of a version without its document; `live` marks the last one. */
export const versionSummary = (v: Project.VersionInfo, live: number | null): typeof ProjectsApi.VersionSummary.Type => ({
  version: v.version,
  content_hash: v.contentHash,
  revision: v.revision,
  published_at: v.publishedAt.toISOString(),
  published_by: v.publishedBy,
  note: v.note,
  live: v.version === live
})

/** The JSON form of entitlements. */
export const entitlements = (e: Entitlements.Entitlements): typeof ProjectsApi.Entitlements.Type => ({
  client_id: e.clientId,
  enabled: e.enabled,
  updated_at: e.updatedAt === null ? null : e.updatedAt.toISOString()
})

/** Sends the draft's revision as its strong ETag. */
const withETag = (d: Project.Draft) =>
  Effect.as(
    HttpApp.appendPreResponseHandler((_, response) =>
      Effect.succeed(HttpServerResponse.setHeader(response, "etag", `"${d.revision}"`))
    ),
    draft(d)
  )

const side = (s: Projects.DiffSide): string => String(s)

/** A page of projects as it is sent: `ProjectList` encodes to itself. */
const listOfProjects = WireBody.json(ProjectsApi.ProjectList)

/** The project handlers. */
export const layer: Group<"projects"> = HttpApiBuilder.group(Api, "projects", (handlers) =>
  handlers
    .handle("listProjects", ({ urlParams }) =>
      CurrentPrincipal.pipe(
        Effect.flatMap((principal) =>
          Projects.listProjects(
            principal,
            {
              ...(urlParams.client_id !== undefined ? { clientId: urlParams.client_id } : {}),
              ...(urlParams.environment !== undefined ? { environment: urlParams.environment } : {})
            },
            Cursor.pageRequest(urlParams)
          )
        ),
        Effect.map((page) => listOfProjects({ projects: page.items.map(project), next_cursor: Cursor.next(page) })),
        Problem.refail
      ))
    .handle("createProject", ({ payload }) =>
      CurrentPrincipal.pipe(
        Effect.flatMap((principal) =>
          Projects.create(principal, {
            displayName: payload.display_name,
            timezone: payload.timezone,
            ...(payload.client_id !== undefined ? { clientId: payload.client_id } : {}),
            ...(payload.environment !== undefined ? { environment: payload.environment } : {})
          })
        ),
        Effect.map(project),
        Problem.refail
      ))
    .handle("getProject", ({ path }) =>
      CurrentPrincipal.pipe(
        Effect.flatMap((principal) => Projects.getProject(principal, path.projectId)),
        Effect.map(project),
        Problem.refail
      ))
    .handle("updateProject", ({ path, payload }) =>
      CurrentPrincipal.pipe(
        Effect.flatMap((principal) =>
          Projects.update(principal, path.projectId, {
            ...(payload.display_name !== undefined ? { displayName: payload.display_name } : {}),
            ...(payload.timezone !== undefined ? { timezone: payload.timezone } : {}),
            ...(payload.is_active !== undefined ? { isActive: payload.is_active } : {})
          })
        ),
        Effect.map(project),
        Problem.refail
      ))
    .handle("getDraft", ({ path }) =>
      CurrentPrincipal.pipe(
        Effect.flatMap((principal) => Projects.getDraft(principal, path.projectId)),
        Effect.flatMap(withETag),
        Problem.refail
      ))
    .handle("patchDraft", ({ headers, path, payload }) =>
      CurrentPrincipal.pipe(
        Effect.flatMap((principal) => Projects.patchDraft(principal, path.projectId, headers["if-match"] ?? null, payload)),
        Effect.flatMap(withETag),
        Problem.refail
      ))
    .handle("validateDraft", ({ path, payload }) =>
      CurrentPrincipal.pipe(
        Effect.flatMap((principal) => Projects.validateDraft(principal, path.projectId, payload.patch ?? null)),
        Problem.refail
      ))
    .handle("publish", ({ headers, path, payload }) =>
      CurrentPrincipal.pipe(
        Effect.flatMap((principal) =>
          Projects.publish(principal, path.projectId, headers["if-match"] ?? null, payload.note ?? null)
        ),
        Effect.map((v) => versionSummary(v, v.version)),
        Problem.refail
      ))
    .handle("listVersions", ({ path }) =>
      CurrentPrincipal.pipe(
        Effect.flatMap((principal) => Projects.listVersions(principal, path.projectId)),
        Effect.map((versions) => {
          const live = versions.at(-1)?.version ?? null
          return { versions: versions.map((v) => versionSummary(v, live)) }
        }),
        Problem.refail
      ))
    .handle("getVersion", ({ path }) =>
      CurrentPrincipal.pipe(
        Effect.flatMap((principal) =>
          Effect.zip(
            Projects.getVersion(principal, path.projectId, path.version),
            Projects.listVersions(principal, path.projectId)
          )
        ),
        Effect.map(([v, all]) => ({ ...versionSummary(v, all.at(-1)?.version ?? null), document: v.document })),
        Problem.refail
      ))
    .handle("diff", ({ path, urlParams }) =>
      CurrentPrincipal.pipe(
        Effect.flatMap((principal) => Projects.diff(principal, path.projectId, urlParams.from, urlParams.to)),
        Effect.map((operations) => ({ from: side(urlParams.from), to: side(urlParams.to), operations })),
        Problem.refail
      ))
    .handle("restore", ({ headers, path }) =>
      CurrentPrincipal.pipe(
        Effect.flatMap((principal) => Projects.restore(principal, path.projectId, path.version, headers["if-match"] ?? null)),
        Effect.flatMap(withETag),
        Problem.refail
      ))
    .handle("getEntitlements", ({ path }) =>
      CurrentPrincipal.pipe(
        Effect.flatMap((principal) => Projects.getEntitlements(principal, path.clientId)),
        Effect.map(entitlements),
        Problem.refail
      ))
    .handle("setEntitlements", ({ path, payload }) =>
      CurrentPrincipal.pipe(
        Effect.flatMap((principal) => Projects.setEntitlements(principal, path.clientId, payload.enabled)),
        Effect.map(entitlements),
        Problem.refail
      )))

