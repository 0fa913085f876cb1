/**
 * The reference server's stand-in for a mail worker: every second it reads the outbox, prints each
 * message (topic, recipient and, for invitations, the acceptance link) and acknowledges it.
 *
 * Printing the acceptance link is deliberate and only right for this reference server: the link is
 * the invitation's secret, and a real deployment hands it to a mailer instead, so that the partner
 * flow can be tried by hand here (invite, copy the link from the log, accept).
 */
import { Outbox } from "@aidial/domain"
import { Console, Duration, Effect, Layer, Redacted } from "effect"

/** How many messages one pass reads. */
export const batchSize = 100

/** One line for a message; the payload's `link` (an acceptance link) is shown in clear on purpose. */
export const describe = (message: Outbox.OutboxMessage): string => {
  const payload = Redacted.value(message.payload)
  const link = payload["link"]
  return `[outbox] ${message.topic} to ${message.recipient}` + (link === undefined ? "" : `: ${link}`)
}

/** Prints and acknowledges every pending message; a storage failure is logged and retried next pass. */
export const drain: Effect.Effect<void, never, Outbox.Outbox> = Effect.gen(function*() {
  const outbox = yield* Outbox.Outbox
  const messages = yield* outbox.pending(batchSize)
  if (messages.length === 0) return
  for (const message of messages) yield* Console.log(describe(message))
  yield* outbox.acknowledge(messages.map((m) => m.id))
}).pipe(Effect.catchAll((error) => Effect.logError("outbox not drained; retrying", error)))

/** A fiber, alive as long as the layer's scope, that drains the outbox every `everyMs` (default 1000). */
export const layer = (everyMs = 1000): Layer.Layer<never, never, Outbox.Outbox> =>
  Layer.scopedDiscard(Effect.forkScoped(Effect.forever(Effect.zipRight(Effect.sleep(Duration.millis(everyMs)), drain))))
