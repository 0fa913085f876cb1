import { Configuration, DraftRepo, Project } from "@aidial/domain"
import { Effect, Either, Layer } from "effect"
import type { Selectable } from "kysely"
import type { ProjectDraftsTable } from "./Database.js"
import * as JsonText from "./internal/JsonText.js"
import * as Rows from "./internal/Rows.js"
import { KyselyClient } from "./KyselyClient.js"
import * as Prepared from "./internal/Prepared.js"
import * as SqlTransactor from "./SqlTransactor.js"

const decodeDraft = Rows.decode(Project.Draft, "draft")

const toDomain = (row: Selectable<ProjectDraftsTable>) =>
  Either.flatMap(JsonText.parse(row.document, "draft"), (document) =>
    decodeDraft({
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
    ? Either.right<Project.DraftHead>({
      revision: row.revision,
      contentHash: row.content_hash,
      domains: row.domains === "" ? [] : row.domains.split(",").filter(Configuration.isDomain),
      documentText: row.document
    })
    : Either.map(toDomain(row), (draft) => ({ ...Project.headOf(draft), documentText: row.document }))

/**
 * Drafts in `project_drafts`, each with its head (content hash and domains) beside the document. `save` is a compare-and-set: an insert that does nothing when a row
 * exists (expected 0), else an update guarded by `revision = expected`; nothing written means someone
 * else moved the revision first.
 */
export const layer: Layer.Layer<DraftRepo.DraftRepo, never, KyselyClient> = Layer.effect(
  DraftRepo.DraftRepo,
  Effect.map(KyselyClient, (client) => {
    const run = SqlTransactor.runner(client)
    const select = Prepared.selector<Selectable<ProjectDraftsTable>>(client)
    const write = Prepared.writer(client)
    const row = (projectId: string) =>
      select("cannot read draft", (db, v) => db.selectFrom("project_drafts").selectAll().where("project_id", "=", v.projectId), {
        key: "get",
        values: { projectId }
      }).pipe(Effect.map((rows) => rows[0]))
    const currentRevision = (projectId: string) =>
      run("cannot read draft revision", (db) =>
        db.selectFrom("project_drafts").select("revision").where("project_id", "=", projectId).executeTakeFirst())
        .pipe(Effect.map((row) => row?.revision ?? 0))
    return DraftRepo.DraftRepo.of({
      get: (projectId) => Effect.flatMap(row(projectId), Rows.decodeOption(toDomain)),
      head: (projectId) => Effect.flatMap(row(projectId), Rows.decodeOption(headOf)),
      save: (draft, expected) => {
        const head = Project.headOf(draft)
        const fields = {
          revision: draft.revision,
          document: head.documentText,
          content_hash: head.contentHash,
          domains: head.domains.join(","),
          updated_at: draft.updatedAt === null ? null : draft.updatedAt.getTime(),
          updated_by: draft.updatedBy,
          restored_from: draft.restoredFrom
        }
        const written = expected === 0
          ? write("cannot insert draft", (db, v) =>
            db.insertInto("project_drafts").values(v).onConflict((oc) => oc.column("project_id").doNothing()), {
            key: "insert",
            values: { project_id: draft.projectId, ...fields }
          })
          : write("cannot update draft", (db, { expected, project_id, ...v }) =>
            db.updateTable("project_drafts").set(v)
              .where("project_id", "=", project_id)
              .where("revision", "=", expected), {
            key: "update",
            values: { project_id: draft.projectId, expected, ...fields }
          })
        return Effect.flatMap(written, (changed) =>
          changed > 0
            ? Effect.void
            : Effect.flatMap(currentRevision(draft.projectId), (current) =>
              Effect.fail(new Project.RevisionMismatch({ expected, current }))))
      }
    })
  })
)
