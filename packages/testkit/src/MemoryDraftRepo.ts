import { DraftRepo, Project } from "@aidial/domain"
import { Effect, Layer, Option } from "effect"
import * as Journal from "./internal/Journal.js"

/** Drafts in a `Map`, compare-and-set on the revision like the SQL adapter. */
export const layerMemory: Layer.Layer<DraftRepo.DraftRepo> = Layer.sync(DraftRepo.DraftRepo, () => {
  const drafts = new Map<string, Project.Draft>()
  return DraftRepo.DraftRepo.of({
    get: (projectId) => Effect.sync(() => Option.fromNullable(drafts.get(projectId))),
    save: (draft, expected) =>
      Effect.suspend(() => {
        const current = drafts.get(draft.projectId)?.revision ?? 0
        return current === expected
          ? Journal.set(drafts, draft.projectId, draft)
          : Effect.fail(new Project.RevisionMismatch({ expected, current }))
      })
  })
})
