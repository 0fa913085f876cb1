import { ClientRepo, Page, Tenancy } from "@aidial/domain"
import { Effect, Layer } from "effect"
import type { Selectable } from "kysely"
import type { ClientsTable } from "./Database.js"
import * as Limit from "./internal/Limit.js"
import * as Rows from "./internal/Rows.js"
import * as Prepared from "./internal/Prepared.js"
import { KyselyClient } from "./KyselyClient.js"
import * as SqlTransactor from "./SqlTransactor.js"

const decodeClient = Rows.decode(Tenancy.Client, "client")

const toDomain = Rows.remembered((row: Selectable<ClientsTable>) =>
  decodeClient({
    id: row.id,
    partnerOrgId: row.partner_org_id,
    name: row.name,
    status: row.status,
    createdAt: new Date(row.created_at)
  }), (row) => row.id)

const firstOf = Rows.first(toDomain)
const pageOf = Rows.page(toDomain)

const toRow = (client: Tenancy.Client): ClientsTable => ({
  id: client.id,
  partner_org_id: client.partnerOrgId,
  name: client.name,
  status: client.status,
  created_at: client.createdAt.getTime()
})

/** Clients in the `clients` table. */
export const layer: Layer.Layer<ClientRepo.ClientRepo, never, KyselyClient> = Layer.effect(
  ClientRepo.ClientRepo,
  Effect.map(KyselyClient, (client) => {
    const run = SqlTransactor.runner(client)
    const select = Prepared.selector<Selectable<ClientsTable>>(client)
    return ClientRepo.ClientRepo.of({
      get: (id) =>
        select("cannot read client", (db, v) => db.selectFrom("clients").selectAll().where("id", "=", v.id), {
          key: "get",
          values: { id }
        }, firstOf),
      getWithin: (id, filter) => {
        const { partnerOrgId, clientIds } = filter
        // An empty id list selects nothing, as in `list`: no query, whether the id exists or not.
        if (clientIds !== undefined && clientIds.length === 0) return Effect.succeedNone
        const shape = {
          key: `getWithin:${partnerOrgId === undefined ? "" : "org"}:${clientIds?.length ?? ""}`,
          values: { id, partnerOrgId, clientIds }
        }
        return select("cannot read client", (db, v) => {
          let query = db.selectFrom("clients").selectAll().where("id", "=", v.id)
          if (v.partnerOrgId !== undefined) query = query.where("partner_org_id", "=", v.partnerOrgId)
          if (v.clientIds !== undefined) query = query.where("id", "in", v.clientIds)
          return query
        }, shape, firstOf)
      },
      insert: (c) => run("cannot insert client", (db) => db.insertInto("clients").values(toRow(c)).execute()).pipe(Effect.asVoid),
      update: (c) => {
        const { id, ...rest } = toRow(c)
        return run("cannot update client", (db) => db.updateTable("clients").set(rest).where("id", "=", id).execute())
          .pipe(Effect.asVoid)
      },
      list: (filter, page) => {
        const clientIds = filter.clientIds
        if (clientIds !== undefined && clientIds.length === 0) return Effect.succeed(Page.fromRows([], page.limit))
        const { partnerOrgId } = filter
        // The shape names the filters present and how many ids the list holds; the builder branches on nothing else.
        const shape = {
          key: `list:${partnerOrgId === undefined ? "" : "org"}:${clientIds?.length ?? ""}:${page.after === null ? "" : "after"}`,
          values: { partnerOrgId, clientIds, after: page.after, limit: page.limit + 1 }
        }
        return select("cannot list clients", (db, v) => {
          let query = db.selectFrom("clients").selectAll()
          if (v.partnerOrgId !== undefined) query = query.where("partner_org_id", "=", v.partnerOrgId)
          if (v.clientIds !== undefined) query = query.where("id", "in", v.clientIds)
          if (v.after !== null) query = query.where("id", ">", v.after)
          return query.orderBy("id").limit(Limit.of(v.limit))
        }, shape, pageOf(page.limit))
      }
    })
  })
)
