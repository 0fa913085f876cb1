import { type Ids, MemberActivity } from "@aidial/domain"
import { Effect, Layer } from "effect"
import { sql } from "kysely"
import { chunks } from "./internal/Chunks.js"
import { KyselyClient } from "./KyselyClient.js"
import * as SqlTransactor from "./SqlTransactor.js"

/** The most users one statement binds (two values each for an upsert). */
const chunkSize = 500

/** Each user's latest instant in the batch: one row per user, as `ON CONFLICT DO UPDATE` requires on PostgreSQL. */
const latestPerUser = (batch: ReadonlyArray<MemberActivity.Activity>): Array<{ user_id: string; last_active_at: number }> => {
  const latest = new Map<string, number>()
  for (const { at, userId } of batch) {
    const ms = at.getTime()
    const seen = latest.get(userId)
    if (seen === undefined || ms > seen) latest.set(userId, ms)
  }
  return [...latest].map(([user_id, last_active_at]) => ({ user_id, last_active_at }))
}

/**
 * Last-active times in the `member_activity` table: each batch is one upsert per chunk of users
 * that only moves a time forward (`max` on SQLite, `GREATEST` on PostgreSQL).
 */
export const layer: Layer.Layer<MemberActivity.MemberActivity, never, KyselyClient> = Layer.effect(
  MemberActivity.MemberActivity,
  Effect.map(KyselyClient, (client) => {
    const run = SqlTransactor.runner(client)
    const later = client.dialect === "postgres" ? sql.raw("greatest") : sql.raw("max")
    return MemberActivity.MemberActivity.of({
      touchLastActive: (batch) =>
        Effect.forEach(
          chunks(latestPerUser(batch), chunkSize),
          (rows) =>
            run("cannot record member activity", (db) =>
              db.insertInto("member_activity").values(rows)
                .onConflict((oc) =>
                  oc.column("user_id").doUpdateSet((eb) => ({
                    last_active_at: sql<number>`${later}(${eb.ref("member_activity.last_active_at")}, ${
                      eb.ref("excluded.last_active_at")
                    })`
                  }))
                )
                .execute()),
          { discard: true }
        ),
      lastActive: (userIds) => {
        const requested = new Map<string, Ids.UserId>(userIds.map((id) => [id, id]))
        return Effect.forEach(
          chunks([...requested.keys()], chunkSize),
          (ids) =>
            run("cannot read member activity", (db) =>
              db.selectFrom("member_activity").selectAll().where("user_id", "in", ids).execute())
        ).pipe(Effect.map((results) => {
          const found = new Map<Ids.UserId, Date>()
          for (const row of results.flat()) {
            const userId = requested.get(row.user_id)
            if (userId !== undefined) found.set(userId, new Date(row.last_active_at))
          }
          return found
        }))
      }
    })
  })
)
