import { ApiKeyUsage, type Ids } from "@aidial/domain"
import { Effect, Layer } from "effect"

interface Hit {
  readonly at: number
  readonly status: number
}

const empty = (start: number) => ({
  start,
  total: 0,
  success: 0,
  clientError: 0,
  serverError: 0,
  byStatus: new Map<number, number>()
})

/** Usage entries kept as they come, for tests and prototypes; queries aggregate on read. */
export const layerMemory: Layer.Layer<ApiKeyUsage.ApiKeyUsage> = Layer.sync(ApiKeyUsage.ApiKeyUsage, () => {
  const hits = new Map<Ids.ApiKeyId, Array<Hit>>()
  const latest = new Map<Ids.ApiKeyId, number>()
  return ApiKeyUsage.ApiKeyUsage.of({
    recordBatch: (entries) =>
      Effect.sync(() => {
        for (const entry of entries) {
          const at = entry.at.getTime()
          const list = hits.get(entry.keyId) ?? []
          list.push({ at, status: entry.status })
          hits.set(entry.keyId, list)
          latest.set(entry.keyId, Math.max(latest.get(entry.keyId) ?? at, at))
        }
      }),
    query: (keyId, bucket, from, to) =>
      Effect.sync(() => {
        const counts = new Map<number, ReturnType<typeof empty>>()
        for (const hit of hits.get(keyId) ?? []) {
          if (hit.at < from.getTime() || hit.at >= to.getTime()) continue
          const start = ApiKeyUsage.bucketStart(bucket, new Date(hit.at)).getTime()
          const c = counts.get(start) ?? empty(start)
          c.total++
          if (hit.status >= 200 && hit.status < 300) c.success++
          else if (hit.status >= 400 && hit.status < 500) c.clientError++
          else if (hit.status >= 500 && hit.status < 600) c.serverError++
          c.byStatus.set(hit.status, (c.byStatus.get(hit.status) ?? 0) + 1)
          counts.set(start, c)
        }
        const ordered = [...counts.values()].sort((a, b) => a.start - b.start).map((c) => ({
          start: new Date(c.start),
          total: c.total,
          success: c.success,
          clientError: c.clientError,
          serverError: c.serverError,
          byStatus: Object.fromEntries([...c.byStatus].sort(([a], [b]) => a - b).map(([s, n]) => [String(s), n]))
        }))
        const last = latest.get(keyId)
        return {
          keyId,
          bucket,
          counts: ordered,
          total: ordered.reduce((sum, c) => sum + c.total, 0),
          lastUsedAt: last === undefined ? null : new Date(last)
        }
      }),
    lastUsed: (keyIds) =>
      Effect.sync(() => {
        const found = new Map<Ids.ApiKeyId, Date>()
        for (const id of keyIds) {
          const at = latest.get(id)
          if (at !== undefined) found.set(id, new Date(at))
        }
        return found
      })
  })
})
