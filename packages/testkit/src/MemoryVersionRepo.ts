import { Configuration, Project, VersionRepo } from "@aidial/domain"
import { Effect, Layer, Option, Schema } from "effect"
import * as Journal from "./internal/Journal.js"

const decodeDocument = Schema.decode(Schema.parseJson(Configuration.Document))

/** Versions in a `Map` of append-only lists; a number taken is `VersionConflict`, like `UNIQUE(project_id, version)`. */
export const layerMemory: Layer.Layer<VersionRepo.VersionRepo> = Layer.sync(VersionRepo.VersionRepo, () => {
  const versions = new Map<string, ReadonlyArray<Project.Version>>()
  const of = (projectId: string) => versions.get(projectId) ?? []
  const liveOf = (projectId: string) =>
    Option.fromNullable(of(projectId).reduce<Project.Version | undefined>(
      (last, v) => (last === undefined || v.version > last.version ? v : last),
      undefined
    ))
  const insert = (version: Project.Version) =>
    Effect.suspend(() =>
      of(version.projectId).some((v) => v.version === version.version)
        ? Effect.fail(new Project.VersionConflict({ version: version.version }))
        : Journal.set(versions, version.projectId, [...of(version.projectId), version])
    )
  return VersionRepo.VersionRepo.of({
    list: (projectId) => Effect.sync(() => [...of(projectId)].sort((a, b) => a.version - b.version)),
    get: (projectId, n) => Effect.sync(() => Option.fromNullable(of(projectId).find((v) => v.version === n))),
    live: (projectId) => Effect.sync(() => liveOf(projectId)),
    liveHead: (projectId) =>
      Effect.sync(() => Option.map(liveOf(projectId), (v) => ({ version: v.version, contentHash: v.contentHash }))),
    // The text is a stored draft's, so it decodes; a text that does not is a defect of the caller.
    insertText: (info, documentText) =>
      Effect.flatMap(
        Effect.orDie(decodeDocument(documentText)),
        (document) => insert(new Project.Version({ ...info, document }))
      ),
    insert
  })
})
