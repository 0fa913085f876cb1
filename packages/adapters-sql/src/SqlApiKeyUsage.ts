import { ApiKeyUsage, Ids, Transactor } from "@aidial/domain"
import { Effect, Layer } from "effect"
import { sql } from "kysely"
import type { ApiKeyUsageTable } from "./Database.js"
import { chunks } from "./internal/Chunks.js"
import { KyselyClient } from "./KyselyClient.js"
import * as SqlTransactor from "./SqlTransactor.js"

/** Rows a statement carries at most: 4 parameters a row stays far below SQLite's and PostgreSQL's limits. */
const chunkSize = 1000


/** Sums a batch into one row per key, minute and status, sorted so concurrent flushes lock in one order. */
const summarise = (entries: ReadonlyArray<ApiKeyUsage.UsageEntry>) => {
  const counts = new Map<string, { key_id: string; minute: number; status: number; count: number }>()
  const latest = new Map<string, number>()
  for (const entry of entries) {
    const at = entry.at.getTime()
    const minute = Math.floor(at / 60_000) * 60_000
    const id = `${entry.keyId}\u0000${minute}\u0000${entry.status}`
    const row = counts.get(id)
    if (row === undefined) counts.set(id, { key_id: entry.keyId, minute, status: entry.status, count: 1 })
    else row.count++
    const last = latest.get(entry.keyId)
    if (last === undefined || at > last) latest.set(entry.keyId, at)
  }
  const usage: Array<ApiKeyUsageTable> = [...counts.values()].sort((a, b) =>
    a.key_id < b.key_id ? -1 : a.key_id > b.key_id ? 1 : a.minute - b.minute || a.status - b.status
  )
  const lastUse = [...latest].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key_id, at]) => ({ key_id, at }))
  return { usage, lastUse }
}

interface Mutable {
  start: number
  total: number
  success: number
  clientError: number
  serverError: number
  byStatus: Record<string, number>
}

/**
 * Usage counts in `api_key_usage` (one row a key, UTC minute and status code) and `api_key_last_use`.
 * A batch is one transaction: one multi-row upsert that adds to the counts (per 1,000 distinct rows)
 * and one that keeps the latest use per key. Hours and days are summed from minutes on read, so the
 * range resolves to the minute: a minute counts when its start lies in `[from, to)`.
 */
export const layer: Layer.Layer<ApiKeyUsage.ApiKeyUsage, never, KyselyClient | Transactor.Transactor> = Layer.effect(
  ApiKeyUsage.ApiKeyUsage,
  Effect.gen(function*() {
    const client = yield* KyselyClient
    const tx = yield* Transactor.Transactor
    const run = SqlTransactor.runner(client)
    const later = client.dialect === "postgres"
      ? sql<number>`greatest(api_key_last_use.at, excluded.at)`
      : sql<number>`max(api_key_last_use.at, excluded.at)`

    return ApiKeyUsage.ApiKeyUsage.of({
      recordBatch: (entries) => {
        if (entries.length === 0) return Effect.void
        const { lastUse, usage } = summarise(entries)
        return tx.withTransaction(Effect.zipRight(
          Effect.forEach(chunks(usage, chunkSize), (rows) =>
            run("cannot record api key usage", (db) =>
              db
                .insertInto("api_key_usage")
                .values(rows)
                .onConflict((oc) =>
                  oc.columns(["key_id", "minute", "status"]).doUpdateSet((eb) => ({
                    count: eb("api_key_usage.count", "+", eb.ref("excluded.count"))
                  }))
                )
                .execute()), { discard: true }),
          Effect.forEach(chunks(lastUse, chunkSize), (rows) =>
            run("cannot record api key last use", (db) =>
              db
                .insertInto("api_key_last_use")
                .values(rows)
                .onConflict((oc) => oc.column("key_id").doUpdateSet({ at: later }))
                .execute()), { discard: true })
        ))
      },
      query: (keyId, bucket, from, to) => {
        const width = ApiKeyUsage.widths[bucket]
        return Effect.all([
          run("cannot read api key usage", (db) =>
            db
              .selectFrom("api_key_usage")
              .select([
                sql<number>`(${sql.ref("minute")} / ${sql.lit(width)}) * ${sql.lit(width)}`.as("start"),
                "status",
                sql<number>`cast(sum(${sql.ref("count")}) as bigint)`.as("count")
              ])
              .where("key_id", "=", keyId)
              .where("minute", ">=", from.getTime())
              .where("minute", "<", to.getTime())
              .groupBy(["start", "status"])
              .orderBy("start")
              .orderBy("status")
              .execute()),
          run("cannot read api key last use", (db) =>
            db.selectFrom("api_key_last_use").select("at").where("key_id", "=", keyId).executeTakeFirst())
        ]).pipe(Effect.map(([rows, last]): ApiKeyUsage.UsageReport => {
          const counts: Array<Mutable> = []
          let total = 0
          for (const row of rows) {
            const start = Number(row.start)
            const n = Number(row.count)
            let c = counts[counts.length - 1]
            if (c === undefined || c.start !== start) {
              c = { start, total: 0, success: 0, clientError: 0, serverError: 0, byStatus: {} }
              counts.push(c)
            }
            c.total += n
            total += n
            if (row.status >= 200 && row.status < 300) c.success += n
            else if (row.status >= 400 && row.status < 500) c.clientError += n
            else if (row.status >= 500 && row.status < 600) c.serverError += n
            c.byStatus[String(row.status)] = n
          }
          return {
            keyId,
            bucket,
            counts: counts.map((c) => ({ ...c, start: new Date(c.start) })),
            total,
            lastUsedAt: last === undefined ? null : new Date(last.at)
          }
        }))
      },
      lastUsed: (keyIds) => {
        if (keyIds.length === 0) return Effect.succeed(new Map())
        return Effect.forEach(chunks(keyIds, chunkSize), (ids) =>
          run("cannot read api key last use", (db) =>
            db.selectFrom("api_key_last_use").select(["key_id", "at"]).where("key_id", "in", ids).execute())).pipe(
            Effect.map((groups) => {
              const found = new Map<Ids.ApiKeyId, Date>()
              for (const row of groups.flat()) {
                found.set(Ids.ApiKeyId.make(row.key_id, { disableValidation: true }), new Date(row.at))
              }
              return found
            })
          )
      }
    })
  })
)
