import { Configuration, DraftRepo, Project } from "@aidial/domain"
import { Effect, Layer } from "effect"
import type { Selectable } from "kysely"
import type { ProjectDraftsTable } from "./Database.js"
import * as JsonText from "./internal/JsonText.js"
import * as Rows from "./internal/Rows.js"
import { KyselyClient } from "./KyselyClient.js"
import * as SqlTransactor from "./SqlTransactor.js"

const toDomain = (row: Selectable<ProjectDraftsTable>) =>
  Effect.flatMap(JsonText.parse(row.document, "draft"), (document) =>
    Rows.decode(Project.Draft, "draft")({
      projectId: row.project_id,
      revision: row.revision,
      document,
      updatedAt: row.updated_at === null ? null : new Date(row.updated_at),
      updatedBy: row.updated_by,
      restoredFrom: row.restored_from
    }))

/** The head of a stored row; a row saved before heads were stored gets it from its decoded document. */
const headOf = (row: Selectable<ProjectDraftsTable>) =>
  row.content_hash !== null && row.domains !== null
    ? Effect.succeed<Project.DraftHead>({
      revision: row.revision,
      contentHash: row.content_hash,
      domains: row.domains === "" ? [] : row.domains.split(",").filter(Configuration.isDomain),
      documentText: row.document
    })
    : Effect.map(toDomain(row), (draft) => ({ ...Project.headOf(draft), documentText: row.document }))

/**
 * Drafts in `project_drafts`, each with its head (content hash and domains) beside the document. `save` is a compare-and-set: an insert that does nothing when a row
 * exists (expected 0), else an update guarded by `revision = expected`; nothing written means someone
 * else moved the revision first.
 */
export const layer: Layer.Layer<DraftRepo.DraftRepo, never, KyselyClient> = Layer.effect(
  DraftRepo.DraftRepo,
  Effect.map(KyselyClient, (client) => {
    const run = SqlTransactor.runner(client)
    const currentRevision = (projectId: string) =>
      run("cannot read draft revision", (db) =>
        db.selectFrom("project_drafts").select("revision").where("project_id", "=", projectId).executeTakeFirst())
        .pipe(Effect.map((row) => row?.revision ?? 0))
    return DraftRepo.DraftRepo.of({
      get: (projectId) =>
        run("cannot read draft", (db) =>
          db.selectFrom("project_drafts").selectAll().where("project_id", "=", projectId).executeTakeFirst())
          .pipe(Effect.flatMap(Rows.decodeOption(toDomain))),
      head: (projectId) =>
        run("cannot read draft", (db) =>
          db.selectFrom("project_drafts").selectAll().where("project_id", "=", projectId).executeTakeFirst())
          .pipe(Effect.flatMap(Rows.decodeOption(headOf))),
      save: (draft, expected) => {
        const head = Project.headOf(draft)
        const row = {
          revision: draft.revision,
          document: head.documentText,
          content_hash: head.contentHash,
          domains: head.domains.join(","),
          updated_at: draft.updatedAt === null ? null : draft.updatedAt.getTime(),
          updated_by: draft.updatedBy,
          restored_from: draft.restoredFrom
        }
        const written = expected === 0
          ? run("cannot insert draft", (db) =>
            db.insertInto("project_drafts").values({ project_id: draft.projectId, ...row })
              .onConflict((oc) => oc.column("project_id").doNothing())
              .executeTakeFirst()).pipe(Effect.map((r) => (r.numInsertedOrUpdatedRows ?? 0n) > 0n))
          : run("cannot update draft", (db) =>
            db.updateTable("project_drafts").set(row)
              .where("project_id", "=", draft.projectId)
              .where("revision", "=", expected)
              .executeTakeFirst()).pipe(Effect.map((r) => r.numUpdatedRows > 0n))
        return Effect.flatMap(written, (ok) =>
          ok
            ? Effect.void
            : Effect.flatMap(currentRevision(draft.projectId), (current) =>
              Effect.fail(new Project.RevisionMismatch({ expected, current }))))
      }
    })
  })
)
