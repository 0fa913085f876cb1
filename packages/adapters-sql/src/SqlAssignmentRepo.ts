import { AssignmentRepo, Ids } from "@aidial/domain"
import { Effect, Layer, Schema } from "effect"
import * as Rows from "./internal/Rows.js"
import * as Prepared from "./internal/Prepared.js"
import { KyselyClient } from "./KyselyClient.js"
import * as SqlTransactor from "./SqlTransactor.js"

const ClientIds = Schema.Array(Ids.ClientId)
const UserIds = Schema.Array(Ids.UserId)
const decodeClientIds = Rows.decode(ClientIds, "assignment")
const decodeUserIds = Rows.decode(UserIds, "assignment")

/** Assignments in the `assignments` table, one row per (user, client). */
export const layer: Layer.Layer<AssignmentRepo.AssignmentRepo, never, KyselyClient> = Layer.effect(
  AssignmentRepo.AssignmentRepo,
  Effect.map(KyselyClient, (client) => {
    const run = SqlTransactor.runner(client)
    const selectClients = Prepared.selector<{ readonly client_id: string }>(client)
    const selectUsers = Prepared.selector<{ readonly user_id: string }>(client)
    return AssignmentRepo.AssignmentRepo.of({
      assign: (a) =>
        run("cannot assign client", (db) =>
          db.insertInto("assignments")
            .values({ user_id: a.userId, client_id: a.clientId, created_at: a.createdAt.getTime() })
            .onConflict((oc) => oc.columns(["user_id", "client_id"]).doNothing())
            .execute()).pipe(Effect.asVoid),
      unassign: (userId, clientId) =>
        run("cannot unassign client", (db) =>
          db.deleteFrom("assignments").where("user_id", "=", userId).where("client_id", "=", clientId).execute())
          .pipe(Effect.asVoid),
      removeAllForUser: (userId) =>
        run("cannot remove assignments", (db) => db.deleteFrom("assignments").where("user_id", "=", userId).execute())
          .pipe(Effect.asVoid),
      // Read on every partner user's request (principal resolution): a hot read.
      clientsOf: (userId) =>
        selectClients(
          "cannot read assignments",
          (db, v) => db.selectFrom("assignments").select("client_id").where("user_id", "=", v.userId).orderBy("client_id"),
          { key: "clientsOf", values: { userId } }
        ).pipe(Effect.flatMap((rows) => decodeClientIds(rows.map((r) => r.client_id)))),
      usersOf: (clientId) =>
        selectUsers(
          "cannot read assignments",
          (db, v) => db.selectFrom("assignments").select("user_id").where("client_id", "=", v.clientId).orderBy("user_id"),
          { key: "usersOf", values: { clientId } }
        ).pipe(Effect.flatMap((rows) => decodeUserIds(rows.map((r) => r.user_id))))
    })
  })
)
