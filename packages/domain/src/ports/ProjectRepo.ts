import { Context, type Effect, type Option } from "effect"
import type { ClientId, PartnerOrgId, ProjectId } from "../Ids.js"
import type { Page, PageRequest } from "../Page.js"
import type { StorageError } from "../StorageError.js"
import type { Project } from "../Project.js"
import type { DataEnvironment } from "../Tenancy.js"

/** Narrows a listing; every field set must hold (absent fields do not narrow). */
export interface ProjectFilter {
  /** Only projects of clients managed by this partner organisation. */
  readonly partnerOrgId?: PartnerOrgId
  /** Only projects of these clients. */
  readonly clientIds?: ReadonlyArray<ClientId>
  /** Only projects in this environment. */
  readonly environment?: DataEnvironment
}

/** Voice-agent projects, each owned by one client. */
export class ProjectRepo extends Context.Tag("@aidial/domain/ProjectRepo")<ProjectRepo, {
  /** The project with this id, if any. */
  readonly get: (id: ProjectId) => Effect.Effect<Option.Option<Project>, StorageError>
  /**
   * The project with this id if the filter also selects it (as `list` would); none when it is missing or
   * filtered out alike, so a caller cannot tell the two apart, not even by the work done.
   */
  readonly getWithin: (id: ProjectId, filter: ProjectFilter) => Effect.Effect<Option.Option<Project>, StorageError>
  /** Stores a new project. */
  readonly insert: (project: Project) => Effect.Effect<void, StorageError>
  /** Replaces a stored project's metadata (display name, timezone, `isActive`). */
  readonly update: (project: Project) => Effect.Effect<void, StorageError>
  /** Projects matching the filter, in id order. */
  readonly list: (filter: ProjectFilter, page: PageRequest) => Effect.Effect<Page<Project>, StorageError>
}>() {}
