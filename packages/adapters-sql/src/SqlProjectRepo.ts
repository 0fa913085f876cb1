import { Page, Project, ProjectRepo } from "@aidial/domain"
import { Effect, Layer } from "effect"
import type { Selectable } from "kysely"
import type { ProjectsTable } from "./Database.js"
import * as Rows from "./internal/Rows.js"
import { KyselyClient } from "./KyselyClient.js"
import * as SqlTransactor from "./SqlTransactor.js"

const toDomain = (row: Selectable<ProjectsTable>) =>
  Rows.decode(Project.Project, "project")({
    id: row.id,
    clientId: row.client_id,
    environment: row.environment,
    displayName: row.display_name,
    timezone: row.timezone,
    isActive: row.is_active === 1,
    createdAt: new Date(row.created_at)
  })

/** Projects in the `projects` table; filtering by partner organisation goes through `clients`. */
export const layer: Layer.Layer<ProjectRepo.ProjectRepo, never, KyselyClient> = Layer.effect(
  ProjectRepo.ProjectRepo,
  Effect.map(KyselyClient, (client) => {
    const run = SqlTransactor.runner(client)
    const select = SqlTransactor.selector<Selectable<ProjectsTable>>(client)
    return ProjectRepo.ProjectRepo.of({
      get: (id) =>
        select("cannot read project", (db) => db.selectFrom("projects").selectAll().where("id", "=", id), {
          key: "get",
          parameters: [id]
        })
          .pipe(Effect.flatMap((rows) => Rows.decodeOption(toDomain)(rows[0]))),
      insert: (p) =>
        run("cannot insert project", (db) =>
          db.insertInto("projects").values({
            id: p.id,
            client_id: p.clientId,
            environment: p.environment,
            display_name: p.displayName,
            timezone: p.timezone,
            is_active: Rows.flag(p.isActive),
            created_at: p.createdAt.getTime()
          }).execute()).pipe(Effect.asVoid),
      update: (p) =>
        run("cannot update project", (db) =>
          db.updateTable("projects").set({
            display_name: p.displayName,
            timezone: p.timezone,
            is_active: Rows.flag(p.isActive)
          }).where("id", "=", p.id).execute()).pipe(Effect.asVoid),
      list: (filter, page) => {
        const clientIds = filter.clientIds
        if (clientIds !== undefined && clientIds.length === 0) return Effect.succeed(Page.fromRows([], page.limit))
        const { environment, partnerOrgId } = filter
        // The shape names the filters present; the parameters follow the order of the `where`s below, then the limit.
        const shape: SqlTransactor.Shape = {
          key: `list:${partnerOrgId === undefined ? "" : "org"}:${clientIds?.length ?? ""}:` +
            `${environment === undefined ? "" : "env"}:${page.after === null ? "" : "after"}`,
          parameters: [
            ...(partnerOrgId === undefined ? [] : [partnerOrgId]),
            ...(clientIds ?? []),
            ...(environment === undefined ? [] : [environment]),
            ...(page.after === null ? [] : [page.after]),
            page.limit + 1
          ]
        }
        return select("cannot list projects", (db) => {
          let query = db.selectFrom("projects").selectAll()
          if (partnerOrgId !== undefined) {
            query = query.where("client_id", "in", (eb) =>
              eb.selectFrom("clients").select("clients.id").where("clients.partner_org_id", "=", partnerOrgId))
          }
          if (clientIds !== undefined) {
            // One client as `=`: SQLite then reads `projects_client_id` in id order instead of sorting the matches.
            const only = clientIds.length === 1 ? clientIds[0] : undefined
            query = only !== undefined ? query.where("client_id", "=", only) : query.where("client_id", "in", clientIds)
          }
          if (environment !== undefined) query = query.where("environment", "=", environment)
          if (page.after !== null) query = query.where("id", ">", page.after)
          return query.orderBy("id").limit(page.limit + 1)
        }, shape).pipe(
          Effect.flatMap(Rows.decodeAll(toDomain)),
          Effect.map((rows) => Page.fromRows(rows, page.limit))
        )
      }
    })
  })
)
