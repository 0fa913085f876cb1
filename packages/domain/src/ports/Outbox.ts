import { Context, type Effect, Schema } from "effect"
import type { StorageError } from "../StorageError.js"

/**
 * A message for the consumer's delivery worker (a mailer, say), written in the same transaction
 * as the change that caused it. `payload` may hold a secret (an acceptance link): it stays
 * redacted in logs and is deleted with the message once delivery is acknowledged.
 */
export class OutboxMessage extends Schema.Class<OutboxMessage>("OutboxMessage")({
  id: Schema.String,
  /** What kind of message this is, such as `team.invitation`. */
  topic: Schema.String,
  /** The recipient's address. */
  recipient: Schema.String,
  payload: Schema.Redacted(Schema.Record({ key: Schema.String, value: Schema.String })),
  createdAt: Schema.DateFromSelf
}) {}

/**
 * The topic of invitation mails; the payload holds `invitationId`, `link`, `organisation`, `role`,
 * `message` (empty when none) and `expiresAt` (ISO 8601).
 */
export const invitationTopic = "team.invitation"

/** The transactional outbox: messages written with the change that caused them, delivered by the consumer. */
export class Outbox extends Context.Tag("@aidial/domain/Outbox")<Outbox, {
  /** Appends a message (inside the caller's transaction when there is one). */
  readonly append: (message: OutboxMessage) => Effect.Effect<void, StorageError>
  /** Up to `limit` unacknowledged messages, in id order. */
  readonly pending: (limit: number) => Effect.Effect<ReadonlyArray<OutboxMessage>, StorageError>
  /** Marks the messages delivered and deletes them; unknown ids are ignored. */
  readonly acknowledge: (ids: ReadonlyArray<string>) => Effect.Effect<void, StorageError>
}>() {}
