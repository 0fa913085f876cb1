import { Context, type Effect, type Option } from "effect"
import type { ProjectId } from "../Ids.js"
import type { Draft, DraftHead, RevisionMismatch } from "../Project.js"
import type { StorageError } from "../StorageError.js"

/** Each project's one draft configuration, written only by compare-and-set on its revision. */
export class DraftRepo extends Context.Tag("@aidial/domain/DraftRepo")<DraftRepo, {
  /** The project's saved draft, if anything was ever saved (else it is `Project.initialDraft`). */
  readonly get: (projectId: ProjectId) => Effect.Effect<Option.Option<Draft>, StorageError>
  /** The saved draft's head (`Project.headOf`) without decoding its document, if anything was ever saved. */
  readonly head: (projectId: ProjectId) => Effect.Effect<Option.Option<DraftHead>, StorageError>
  /**
   * Stores `draft` (with its head, `Project.headOf`) as the next revision if the stored one is still `expected` (0: none stored yet);
   * otherwise changes nothing and fails with `RevisionMismatch` carrying the current revision.
   */
  readonly save: (draft: Draft, expected: number) => Effect.Effect<void, RevisionMismatch | StorageError>
}>() {}
