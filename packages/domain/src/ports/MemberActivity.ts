import { Context, type Effect } from "effect"
import type { UserId } from "../Ids.js"
import type { StorageError } from "../StorageError.js"

/** One observation that a user was active. */
export interface Activity {
  readonly userId: UserId
  readonly at: Date
}

/**
 * When each user was last active. Written in batches from a buffer that coalesces requests, never
 * on every request's critical path.
 */
export class MemberActivity extends Context.Tag("@aidial/domain/MemberActivity")<MemberActivity, {
  /** Records each observation; a user's last-active time only moves forward. */
  readonly touchLastActive: (batch: ReadonlyArray<Activity>) => Effect.Effect<void, StorageError>
  /** The last-active time of each of these users that has one. */
  readonly lastActive: (userIds: ReadonlyArray<UserId>) => Effect.Effect<ReadonlyMap<UserId, Date>, StorageError>
}>() {}
