import { Page, PartnerOrgRepo } from "@aidial/domain"
import { Effect, Layer } from "effect"
import type { Selectable } from "kysely"
import type { PartnerOrgsTable } from "./Database.js"
import * as Limit from "./internal/Limit.js"
import * as Rows from "./internal/Rows.js"
import * as TenancyRows from "./internal/TenancyRows.js"
import * as Prepared from "./internal/Prepared.js"
import { KyselyClient } from "./KyselyClient.js"
import * as SqlTransactor from "./SqlTransactor.js"

const firstOf = Rows.first(TenancyRows.partnerOrg)

/** Partner organisations in the `partner_orgs` table. */
export const layer: Layer.Layer<PartnerOrgRepo.PartnerOrgRepo, never, KyselyClient> = Layer.effect(
  PartnerOrgRepo.PartnerOrgRepo,
  Effect.map(KyselyClient, (client) => {
    const run = SqlTransactor.runner(client)
    const select = Prepared.selector<Selectable<PartnerOrgsTable>>(client)
    return PartnerOrgRepo.PartnerOrgRepo.of({
      // Read on every partner user's request (principal resolution): a hot read.
      get: (id) =>
        select("cannot read partner organisation", (db, v) => db.selectFrom("partner_orgs").selectAll().where("id", "=", v.id), {
          key: "get",
          values: { id }
        }, firstOf),
      insert: (org) =>
        run("cannot insert partner organisation", (db) =>
          db.insertInto("partner_orgs").values({
            id: org.id,
            name: org.name,
            description: org.description,
            status: org.status,
            created_at: org.createdAt.getTime()
          }).execute()).pipe(Effect.asVoid),
      update: (org) =>
        run("cannot update partner organisation", (db) =>
          db.updateTable("partner_orgs").set({
            name: org.name,
            description: org.description,
            status: org.status,
            created_at: org.createdAt.getTime()
          }).where("id", "=", org.id).execute()).pipe(Effect.asVoid),
      lock: (id) =>
        run("cannot lock partner organisation", (db) =>
          client.dialect === "postgres"
            ? db.selectFrom("partner_orgs").select("id").where("id", "=", id).forUpdate().execute().then(() => undefined)
            // SQLite locks the whole database for the first write of a transaction
            : db.updateTable("partner_orgs").set((eb) => ({ id: eb.ref("id") })).where("id", "=", id).execute().then(
              () => undefined
            )),
      list: (page) =>
        run("cannot list partner organisations", (db) => {
          let query = db.selectFrom("partner_orgs").selectAll()
          if (page.after !== null) query = query.where("id", ">", page.after)
          return query.orderBy("id").limit(Limit.of(page.limit + 1)).execute()
        }).pipe(
          Effect.flatMap(Rows.decodeAll(TenancyRows.partnerOrg)),
          Effect.map((rows) => Page.fromRows(rows, page.limit))
        )
    })
  })
)
