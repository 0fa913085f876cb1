import { Context, type Effect } from "effect"
import type { ApiKeyId } from "../Ids.js"
import type { StorageError } from "../StorageError.js"

/** One request made with a key: when it arrived and the HTTP status it got. */
export interface UsageEntry {
  readonly keyId: ApiKeyId
  readonly at: Date
  readonly status: number
}

/** The width of a usage bucket; buckets are aligned on UTC minutes, hours and days. */
export type Bucket = "minute" | "hour" | "day"
export const buckets: ReadonlyArray<Bucket> = ["minute", "hour", "day"]

/** The requests of one bucket. */
export interface UsageCount {
  /** The bucket's first instant. */
  readonly start: Date
  readonly total: number
  /** Responses with a 2xx status. */
  readonly success: number
  /** Responses with a 4xx status. */
  readonly clientError: number
  /** Responses with a 5xx status. */
  readonly serverError: number
  /** Count per exact status code, keyed by the code as a string. */
  readonly byStatus: Readonly<Record<string, number>>
}

/** A key's usage over `[from, to)`. */
export interface UsageReport {
  readonly keyId: ApiKeyId
  readonly bucket: Bucket
  /** Non-empty buckets only, oldest first. */
  readonly counts: ReadonlyArray<UsageCount>
  /** Requests in `[from, to)`. */
  readonly total: number
  /** The latest use ever recorded, whatever the range. */
  readonly lastUsedAt: Date | null
}

/**
 * Per-key request counts. Callers buffer entries off the request path and hand them over in
 * batches, so a request never waits on a usage write.
 */
export class ApiKeyUsage extends Context.Tag("@aidial/domain/ApiKeyUsage")<ApiKeyUsage, {
  /** Adds a batch of entries at once (one statement or transaction in a SQL adapter). */
  readonly recordBatch: (entries: ReadonlyArray<UsageEntry>) => Effect.Effect<void, StorageError>
  /** The key's counts per bucket over `[from, to)`, with its last use. */
  readonly query: (keyId: ApiKeyId, bucket: Bucket, from: Date, to: Date) => Effect.Effect<UsageReport, StorageError>
  /** The last use of each listed key that was ever used; keys never used are absent from the map. */
  readonly lastUsed: (keyIds: ReadonlyArray<ApiKeyId>) => Effect.Effect<ReadonlyMap<ApiKeyId, Date>, StorageError>
}>() {}

/** The width of each bucket in milliseconds. */
export const widths: Readonly<Record<Bucket, number>> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 }

/** The first instant of the UTC bucket containing `at`. */
export const bucketStart = (bucket: Bucket, at: Date): Date => {
  const width = widths[bucket]
  return new Date(Math.floor(at.getTime() / width) * width)
}
