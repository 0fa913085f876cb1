import { Context, type Effect } from "effect"
import type { UserId } from "../Ids.js"

/**
 * Where a member's activity is noted on the request path; an implementation coalesces the notes and
 * writes them through `MemberActivity.touchLastActive` elsewhere, so a request never waits on that write.
 */
export class ActivityRecorder extends Context.Tag("@aidial/domain/ActivityRecorder")<ActivityRecorder, {
  /** Notes that the user is active now; never waits on storage. */
  readonly record: (userId: UserId) => Effect.Effect<void>
  /** Writes every noted time now (tests, shutdown); times stay noted if the write fails. */
  readonly flush: Effect.Effect<void>
  /** How many users are waiting to be written. */
  readonly pending: () => number
}>() {}
