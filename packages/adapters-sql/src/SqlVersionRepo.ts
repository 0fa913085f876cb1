import { Project, type StorageError, VersionRepo } from "@aidial/domain"
import { Effect, Layer } from "effect"
import type { Selectable } from "kysely"
import type { ProjectVersionsTable } from "./Database.js"
import * as JsonText from "./internal/JsonText.js"
import * as Rows from "./internal/Rows.js"
import { KyselyClient } from "./KyselyClient.js"
import * as SqlTransactor from "./SqlTransactor.js"

const toDomain = (row: Selectable<ProjectVersionsTable>) =>
  Effect.flatMap(JsonText.parse(row.document, "version"), (document) =>
    Rows.decode(Project.Version, "version")({
      projectId: row.project_id,
      version: row.version,
      document,
      contentHash: row.content_hash,
      revision: row.revision,
      publishedAt: new Date(row.published_at),
      publishedBy: row.published_by,
      note: row.note
    }))

/**
 * Versions in `project_versions` (primary key `(project_id, version)`): only ever inserted. An insert
 * whose number is taken does nothing (`ON CONFLICT DO NOTHING`, so a PostgreSQL transaction stays
 * usable) and fails `VersionConflict`; a new version also becomes `projects.live_version`.
 */
export const layer: Layer.Layer<VersionRepo.VersionRepo, never, KyselyClient> = Layer.effect(
  VersionRepo.VersionRepo,
  Effect.map(KyselyClient, (client) => {
    const run = SqlTransactor.runner(client)
    const select = SqlTransactor.selector<Selectable<ProjectVersionsTable>>(client)
    return VersionRepo.VersionRepo.of({
      list: (projectId) =>
        run("cannot list versions", (db) =>
          db.selectFrom("project_versions").selectAll().where("project_id", "=", projectId).orderBy("version").execute())
          .pipe(Effect.flatMap(Rows.decodeAll(toDomain))),
      get: (projectId, n) =>
        run("cannot read version", (db) =>
          db.selectFrom("project_versions").selectAll()
            .where("project_id", "=", projectId)
            .where("version", "=", n)
            .executeTakeFirst())
          .pipe(Effect.flatMap(Rows.decodeOption(toDomain))),
      live: (projectId) =>
        select("cannot read live version", (db) =>
          db.selectFrom("project_versions")
            .innerJoin("projects", (join) =>
              join.onRef("projects.id", "=", "project_versions.project_id")
                .onRef("projects.live_version", "=", "project_versions.version"))
            .selectAll("project_versions")
            .where("projects.id", "=", projectId), { key: "live", parameters: [projectId] })
          .pipe(Effect.flatMap((rows) => Rows.decodeOption(toDomain)(rows[0]))),
      insert: (v) =>
        run("cannot insert version", (db) =>
          db.insertInto("project_versions").values({
            project_id: v.projectId,
            version: v.version,
            document: JSON.stringify(v.document),
            content_hash: v.contentHash,
            revision: v.revision,
            published_at: v.publishedAt.getTime(),
            published_by: v.publishedBy,
            note: v.note
          }).onConflict((oc) => oc.columns(["project_id", "version"]).doNothing()).executeTakeFirst()).pipe(
            Effect.flatMap((r): Effect.Effect<unknown, Project.VersionConflict | StorageError.StorageError> =>
              (r.numInsertedOrUpdatedRows ?? 0n) > 0n
                ? run("cannot set live version", (db) =>
                  db.updateTable("projects").set({ live_version: v.version }).where("id", "=", v.projectId).execute())
                : Effect.fail(new Project.VersionConflict({ version: v.version }))
            ),
            Effect.asVoid
          )
    })
  })
)
