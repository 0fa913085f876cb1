import { Context, type Effect } from "effect"
import type { ApiKeyId } from "../Ids.js"

/**
 * Where each request made with an API key is noted as it is answered; an implementation hands the
 * notes to `ApiKeyUsage.recordBatch` off the request path, so a request never waits on a usage write.
 */
export class UsageRecorder extends Context.Tag("@aidial/domain/UsageRecorder")<UsageRecorder, {
  /** Notes one request's use synchronously; no I/O happens here. */
  readonly record: (keyId: ApiKeyId, at: Date, status: number) => void
  /** Writes everything noted so far (tests, shutdown). */
  readonly flush: Effect.Effect<void>
}>() {}
