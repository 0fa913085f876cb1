import { AssignmentRepo, Ids } from "@aidial/domain"
import { Effect, Layer, Schema } from "effect"
import * as Rows from "./internal/Rows.js"
import { KyselyClient } from "./KyselyClient.js"
import * as SqlTransactor from "./SqlTransactor.js"

const ClientIds = Schema.Array(Ids.ClientId)
const UserIds = Schema.Array(Ids.UserId)

/** Assignments in the `assignments` table, one row per (user, client). */
export const layer: Layer.Layer<AssignmentRepo.AssignmentRepo, never, KyselyClient> = Layer.effect(
  AssignmentRepo.AssignmentRepo,
  Effect.map(KyselyClient, (client) => {
    const run = SqlTransactor.runner(client)
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
      clientsOf: (userId) =>
        run("cannot read assignments", (db) =>
          db.selectFrom("assignments").select("client_id").where("user_id", "=", userId).orderBy("client_id").execute())
          .pipe(Effect.flatMap((rows) => Rows.decode(ClientIds, "assignment")(rows.map((r) => r.client_id)))),
      usersOf: (clientId) =>
        run("cannot read assignments", (db) =>
          db.selectFrom("assignments").select("user_id").where("client_id", "=", clientId).orderBy("user_id").execute())
          .pipe(Effect.flatMap((rows) => Rows.decode(UserIds, "assignment")(rows.map((r) => r.user_id))))
    })
  })
)
