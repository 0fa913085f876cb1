import { Outbox, StorageError } from "@aidial/domain"
import { Effect, Either, Layer, Redacted } from "effect"
import type { Selectable } from "kysely"
import type { OutboxTable } from "./Database.js"
import { chunks } from "./internal/Chunks.js"
import * as Limit from "./internal/Limit.js"
import * as Rows from "./internal/Rows.js"
import { KyselyClient } from "./KyselyClient.js"
import * as SqlTransactor from "./SqlTransactor.js"

const decodeOutboxMessage = Rows.decode(Outbox.OutboxMessage, "outbox message")

const parsePayload = (row: Selectable<OutboxTable>): Either.Either<unknown, StorageError.StorageError> =>
  Either.try({
    try: (): unknown => JSON.parse(row.payload),
    catch: StorageError.StorageError.refail(`stored outbox message ${row.id} has a payload that is not JSON`)
  })

const toDomain = (row: Selectable<OutboxTable>) =>
  Either.flatMap(parsePayload(row), (payload) =>
    decodeOutboxMessage({
      id: row.id,
      topic: row.topic,
      recipient: row.recipient,
      payload,
      createdAt: new Date(row.created_at)
    }))

const toRow = (message: Outbox.OutboxMessage): OutboxTable => ({
  id: message.id,
  topic: message.topic,
  recipient: message.recipient,
  payload: JSON.stringify(Redacted.value(message.payload)),
  created_at: message.createdAt.getTime()
})

/** The most ids one `acknowledge` statement binds; longer lists are deleted in chunks. */
const chunkSize = 500

/**
 * The outbox in the `outbox` table: payloads as JSON text, decoded back into `Redacted`; an
 * acknowledged message is deleted with its payload.
 */
export const layer: Layer.Layer<Outbox.Outbox, never, KyselyClient> = Layer.effect(
  Outbox.Outbox,
  Effect.map(KyselyClient, (client) => {
    const run = SqlTransactor.runner(client)
    return Outbox.Outbox.of({
      append: (message) =>
        run("cannot append outbox message", (db) => db.insertInto("outbox").values(toRow(message)).execute())
          .pipe(Effect.asVoid),
      pending: (limit) =>
        run("cannot read outbox", (db) =>
          db.selectFrom("outbox").selectAll().orderBy("id").limit(Limit.of(Math.max(0, Math.floor(limit)))).execute())
          .pipe(Effect.flatMap(Rows.decodeAll(toDomain))),
      acknowledge: (ids) =>
        Effect.forEach(
          chunks(ids, chunkSize),
          (chunk) => run("cannot acknowledge outbox messages", (db) => db.deleteFrom("outbox").where("id", "in", chunk).execute()),
          { discard: true }
        )
    })
  })
)
