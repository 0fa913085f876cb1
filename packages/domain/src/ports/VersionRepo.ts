import { Context, type Effect, type Option } from "effect"
import type { ProjectId } from "../Ids.js"
import type { LiveHead, Version, VersionConflict, VersionInfo } from "../Project.js"
import type { StorageError } from "../StorageError.js"

/** Published versions: appended once, never updated or deleted; the last one is live. */
export class VersionRepo extends Context.Tag("@aidial/domain/VersionRepo")<VersionRepo, {
  /** Every version of the project, in version order. */
  readonly list: (projectId: ProjectId) => Effect.Effect<ReadonlyArray<Version>, StorageError>
  /** Version `version` of the project, if it exists. */
  readonly get: (projectId: ProjectId, version: number) => Effect.Effect<Option.Option<Version>, StorageError>
  /** The live (last published) version of the project, if any. */
  readonly live: (projectId: ProjectId) => Effect.Effect<Option.Option<Version>, StorageError>
  /** The live version's number and content hash, if any, without reading its document. */
  readonly liveHead: (projectId: ProjectId) => Effect.Effect<Option.Option<LiveHead>, StorageError>
  /**
   * Appends `info` with the document given as stored JSON text (a draft's `DraftHead.documentText`, whose
   * content hash is `info.contentHash`) and makes it live; a number already taken fails with
   * `VersionConflict` and changes nothing.
   */
  readonly insertText: (info: VersionInfo, documentText: string) => Effect.Effect<void, VersionConflict | StorageError>
  /** Appends a version and makes it live; a number already taken fails with `VersionConflict` and changes nothing. */
  readonly insert: (version: Version) => Effect.Effect<void, VersionConflict | StorageError>
}>() {}
