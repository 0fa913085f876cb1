import { Page, Project, ProjectRepo } from "@aidial/domain"
import { Effect, Layer } from "effect"
import type { Selectable } from "kysely"
import type { ProjectsTable } from "./Database.js"
import * as Limit from "./internal/Limit.js"
import * as Rows from "./internal/Rows.js"
import * as Prepared from "./internal/Prepared.js"
import { KyselyClient } from "./KyselyClient.js"
import * as SqlTransactor from "./SqlTransactor.js"

const decodeProject = Rows.decode(Project.Project, "project")

/**
 * The columns a project is read from. Not `live_version`: that is the versions' business (`SqlVersionRepo`),
 * and a row that carried it would read as new after every publish, so its decoded project would not be remembered.
 */
const columns = ["id", "client_id", "environment", "display_name", "timezone", "is_active", "created_at"] as const

type Row = Pick<Selectable<ProjectsTable>, typeof columns[number]>

const toDomain = Rows.remembered((row: Row) =>
  decodeProject({
    id: row.id,
    clientId: row.client_id,
    environment: row.environment,
    displayName: row.display_name,
    timezone: row.timezone,
    isActive: row.is_active === 1,
    createdAt: new Date(row.created_at)
  }), (row) => row.id)

const firstOf = Rows.first(toDomain)
const pageOf = Rows.page(toDomain)

/** Projects in the `projects` table; filtering by partner organisation goes through `clients`. */
export const layer: Layer.Layer<ProjectRepo.ProjectRepo, never, KyselyClient> = Layer.effect(
  ProjectRepo.ProjectRepo,
  Effect.map(KyselyClient, (client) => {
    const run = SqlTransactor.runner(client)
    const select = Prepared.selector<Row>(client)
    return ProjectRepo.ProjectRepo.of({
      get: (id) =>
        select("cannot read project", (db, v) => db.selectFrom("projects").select(columns).where("id", "=", v.id), {
          key: "get",
          values: { id }
        }, firstOf),
      getWithin: (id, filter) => {
        const { clientIds, environment, partnerOrgId } = filter
        // An empty id list selects nothing, as in `list`: no query, whether the id exists or not.
        if (clientIds !== undefined && clientIds.length === 0) return Effect.succeedNone
        const shape = {
          key: `getWithin:${partnerOrgId === undefined ? "" : "org"}:${clientIds?.length ?? ""}:${environment === undefined ? "" : "env"}`,
          values: { id, partnerOrgId, clientIds, environment }
        }
        return select("cannot read project", (db, v) => {
          let query = db.selectFrom("projects").select(columns).where("id", "=", v.id)
          const org = v.partnerOrgId
          if (org !== undefined) {
            // Correlated, so the project's own client is looked up by key: `in` over the organisation's
            // clients would first collect them all, work a missing id never does.
            query = query.where(({ exists, selectFrom }) =>
              exists(
                selectFrom("clients").select("clients.id").whereRef("clients.id", "=", "projects.client_id")
                  .where("clients.partner_org_id", "=", org)
              )
            )
          }
          if (v.clientIds !== undefined) query = query.where("client_id", "in", v.clientIds)
          if (v.environment !== undefined) query = query.where("environment", "=", v.environment)
          return query
        }, shape, firstOf)
      },
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
        // The shape names the filters present and how many ids the list holds; the builder branches on nothing else.
        const shape = {
          key: `list:${partnerOrgId === undefined ? "" : "org"}:${clientIds?.length ?? ""}:` +
            `${environment === undefined ? "" : "env"}:${page.after === null ? "" : "after"}`,
          values: { partnerOrgId, clientIds, environment, after: page.after, limit: page.limit + 1 }
        }
        return select("cannot list projects", (db, v) => {
          let query = db.selectFrom("projects").select(columns)
          const org = v.partnerOrgId
          if (org !== undefined) {
            query = query.where("client_id", "in", (eb) =>
              eb.selectFrom("clients").select("clients.id").where("clients.partner_org_id", "=", org))
          }
          if (v.clientIds !== undefined) {
            // One client as `=`: SQLite then reads `projects_client_id` in id order instead of sorting the matches.
            const only = v.clientIds.length === 1 ? v.clientIds[0] : undefined
            query = only !== undefined ? query.where("client_id", "=", only) : query.where("client_id", "in", v.clientIds)
          }
          if (v.environment !== undefined) query = query.where("environment", "=", v.environment)
          if (v.after !== null) query = query.where("id", ">", v.after)
          return query.orderBy("id").limit(Limit.of(v.limit))
        }, shape, pageOf(page.limit))
      }
    })
  })
)
