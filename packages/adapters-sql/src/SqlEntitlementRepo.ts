import { Configuration, EntitlementRepo, Entitlements } from "@aidial/domain"
import { Effect, Either, Layer, Schema } from "effect"
import type { Selectable } from "kysely"
import type { ClientEntitlementsTable } from "./Database.js"
import * as JsonText from "./internal/JsonText.js"
import * as Rows from "./internal/Rows.js"
import { KyselyClient } from "./KyselyClient.js"
import * as Prepared from "./internal/Prepared.js"
import * as SqlTransactor from "./SqlTransactor.js"

const decodeEntitlements = Rows.decode(Entitlements.Entitlements, "entitlements")

const toDomain = Rows.remembered((row: Selectable<ClientEntitlementsTable>) =>
  Either.flatMap(JsonText.parse(row.enabled, "entitlements"), (enabled) =>
    decodeEntitlements({
      clientId: row.client_id,
      enabled,
      updatedAt: row.updated_at === null ? null : new Date(row.updated_at)
    })), (row) => row.client_id)

const firstOf = Rows.first(toDomain)

const encodeEnabled = Schema.encodeSync(Schema.parseJson(Schema.Array(Configuration.RuntimeDomain)))

/** Entitlements in `client_entitlements`, one row a client, replaced whole. */
export const layer: Layer.Layer<EntitlementRepo.EntitlementRepo, never, KyselyClient> = Layer.effect(
  EntitlementRepo.EntitlementRepo,
  Effect.map(KyselyClient, (client) => {
    const run = SqlTransactor.runner(client)
    const select = Prepared.selector<Selectable<ClientEntitlementsTable>>(client)
    return EntitlementRepo.EntitlementRepo.of({
      get: (clientId) =>
        select("cannot read entitlements", (db, v) =>
          db.selectFrom("client_entitlements").selectAll().where("client_id", "=", v.clientId), {
          key: "get",
          values: { clientId }
        }, firstOf),
      put: (e) => {
        const row = { enabled: encodeEnabled(e.enabled), updated_at: e.updatedAt === null ? null : e.updatedAt.getTime() }
        return run("cannot write entitlements", (db) =>
          db.insertInto("client_entitlements").values({ client_id: e.clientId, ...row })
            .onConflict((oc) => oc.column("client_id").doUpdateSet(row))
            .execute()).pipe(Effect.asVoid)
      }
    })
  })
)
