import { BoundedCache, Project, type StorageError, VersionRepo } from "@aidial/domain"
import { Effect, Either, Layer, Option } from "effect"
import type { Selectable } from "kysely"
import type { ProjectVersionsTable } from "./Database.js"
import * as JsonText from "./internal/JsonText.js"
import * as Rows from "./internal/Rows.js"
import * as Prepared from "./internal/Prepared.js"
import { KyselyClient } from "./KyselyClient.js"
import * as SqlTransactor from "./SqlTransactor.js"

const decodeVersion = Rows.decode(Project.Version, "version")

const toDomain = (row: Selectable<ProjectVersionsTable>) =>
  Either.flatMap(JsonText.parse(row.document, "version"), (document) =>
    decodeVersion({
      projectId: row.project_id,
      version: row.version,
      document,
      contentHash: row.content_hash,
      revision: row.revision,
      publishedAt: new Date(row.published_at),
      publishedBy: row.published_by,
      note: row.note
    }))

const firstOf = Rows.first(toDomain)

/** How many decoded versions `live` keeps; the least recently used is dropped beyond it. */
export const liveCacheCapacity = 1024

/**
 * Versions in `project_versions` (primary key `(project_id, version)`): only ever inserted. An insert
 * whose number is taken does nothing (`ON CONFLICT DO NOTHING`, so a PostgreSQL transaction stays
 * usable) and fails `VersionConflict`; a new version also becomes `projects.live_version`.
 *
 * `live` reads the project's live version number, then the version itself, which it keeps decoded in a
 * bounded cache: a version never changes once committed, so a number read outside a transaction names
 * the same content for ever (reads inside a transaction neither use nor fill the cache, since the
 * transaction may roll back).
 */
export const layer: Layer.Layer<VersionRepo.VersionRepo, never, KyselyClient> = Layer.effect(
  VersionRepo.VersionRepo,
  Effect.map(KyselyClient, (client) => {
    const run = SqlTransactor.runner(client)
    const write = Prepared.writer(client)
    const select = Prepared.selector<Selectable<ProjectVersionsTable>>(client)
    const selectHead = Prepared.selector<{ readonly version: number; readonly content_hash: string }>(client)
    const selectLive = Prepared.selector<{ readonly live_version: number | null }>(client)
    const cache = BoundedCache.make<string, Project.Version>(liveCacheCapacity, { recency: true })
    const get = (projectId: string, n: number) =>
      select("cannot read version", (db, v) =>
        db.selectFrom("project_versions").selectAll()
          .where("project_id", "=", v.projectId)
          .where("version", "=", v.n), { key: "get", values: { projectId, n } }, firstOf)
    const insert = (v: Project.VersionInfo, documentText: string) =>
      write("cannot insert version", (db, row) =>
        db.insertInto("project_versions").values(row)
          .onConflict((oc) => oc.columns(["project_id", "version"]).doNothing()), {
        key: "insert",
        values: {
          project_id: v.projectId,
          version: v.version,
          document: documentText,
          content_hash: v.contentHash,
          revision: v.revision,
          published_at: v.publishedAt.getTime(),
          published_by: v.publishedBy,
          note: v.note
        }
      }).pipe(
          Effect.flatMap((inserted): Effect.Effect<unknown, Project.VersionConflict | StorageError.StorageError> =>
            inserted > 0
              ? write("cannot set live version", (db, w) =>
                db.updateTable("projects").set({ live_version: w.version }).where("id", "=", w.projectId), {
                key: "setLive",
                values: { version: v.version, projectId: v.projectId }
              })
              : Effect.fail(new Project.VersionConflict({ version: v.version }))
          ),
          Effect.asVoid
        )
    return VersionRepo.VersionRepo.of({
      list: (projectId) =>
        run("cannot list versions", (db) =>
          db.selectFrom("project_versions").selectAll().where("project_id", "=", projectId).orderBy("version").execute())
          .pipe(Effect.flatMap(Rows.decodeAll(toDomain))),
      get,
      live: (projectId) =>
        SqlTransactor.withCurrent(client, (db) => {
          const outside = db === client.db
          return selectLive("cannot read live version", (q, v) =>
            q.selectFrom("projects").select("live_version").where("id", "=", v.projectId), {
            key: "live",
            values: { projectId }
          }).pipe(Effect.flatMap((rows) => {
            const n = rows[0]?.live_version ?? null
            if (n === null) return Effect.succeedNone
            const key = `${projectId} ${n}`
            const hit = outside ? cache.get(key) : undefined
            if (hit !== undefined) return Effect.succeedSome(hit)
            return Effect.tap(get(projectId, n), (found) => {
              if (outside && Option.isSome(found)) cache.set(key, found.value)
            })
          }))
        }),
      liveHead: (projectId) =>
        selectHead("cannot read live version", (db, v) =>
          db.selectFrom("projects")
            .innerJoin("project_versions", (join) =>
              join.onRef("project_versions.project_id", "=", "projects.id")
                .onRef("project_versions.version", "=", "projects.live_version"))
            .select(["project_versions.version", "project_versions.content_hash"])
            .where("projects.id", "=", v.projectId), { key: "liveHead", values: { projectId } })
          .pipe(Effect.map(([row]) =>
            row === undefined ? Option.none() : Option.some({ version: row.version, contentHash: row.content_hash })
          )),
      insertText: (info, documentText) => insert(info, documentText),
      insert: (v) => insert(v, JSON.stringify(v.document))
    })
  })
)
