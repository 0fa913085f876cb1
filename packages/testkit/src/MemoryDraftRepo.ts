import { DraftRepo, Project } from "@aidial/domain"
import { Effect, Layer, Option } from "effect"
import * as Journal from "./internal/Journal.js"

/** Drafts in a `Map`, compare-and-set on the revision like the SQL adapter; each head computed once per draft. */
export const layerMemory: Layer.Layer<DraftRepo.DraftRepo> = Layer.sync(DraftRepo.DraftRepo, () => {
  const drafts = new Map<string, Project.Draft>()
  // Heads are kept apart from the journalled drafts and derived from the draft they were computed for.
  const heads = new WeakMap<Project.Draft, Project.DraftHead>()
  const headOf = (draft: Project.Draft) => {
    const known = heads.get(draft)
    if (known !== undefined) return known
    const head = Project.headOf(draft)
    heads.set(draft, head)
    return head
  }
  return DraftRepo.DraftRepo.of({
    get: (projectId) => Effect.sync(() => Option.fromNullable(drafts.get(projectId))),
    head: (projectId) => Effect.sync(() => Option.map(Option.fromNullable(drafts.get(projectId)), headOf)),
    save: (draft, expected) =>
      Effect.suspend(() => {
        const current = drafts.get(draft.projectId)?.revision ?? 0
        return current === expected
          ? Journal.set(drafts, draft.projectId, draft)
          : Effect.fail(new Project.RevisionMismatch({ expected, current }))
      })
  })
})
