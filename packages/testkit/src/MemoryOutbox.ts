import { Outbox } from "@aidial/domain"
import { Effect, Layer } from "effect"
import * as Journal from "./internal/Journal.js"

/** The outbox in a `Map`; appends take part in memory transactions, acknowledged messages are deleted. */
export const layerMemory: Layer.Layer<Outbox.Outbox> = Layer.sync(Outbox.Outbox, () => {
  const messages = new Map<string, Outbox.OutboxMessage>()
  return Outbox.Outbox.of({
    append: (message) => Journal.set(messages, message.id, message),
    pending: (limit) =>
      Effect.sync(() => [...messages.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).slice(0, limit)),
    acknowledge: (ids) => Effect.forEach(ids, (id) => Journal.remove(messages, id), { discard: true })
  })
})
