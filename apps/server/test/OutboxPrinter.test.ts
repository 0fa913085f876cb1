import { Outbox } from "@aidial/domain"
import { MemoryOutbox } from "@aidial/testkit"
import { Effect, Redacted } from "effect"
import { describe, expect, it } from "vitest"
import * as OutboxPrinter from "../src/OutboxPrinter.js"

const message = (id: string, link: string) =>
  new Outbox.OutboxMessage({
    id,
    topic: Outbox.invitationTopic,
    recipient: "new.partner@example.com",
    payload: Redacted.make({ link, invitationId: "inv_1" }),
    createdAt: new Date("2026-01-01T00:00:00.000Z")
  })

describe("the outbox printer", () => {
  it("prints topic, recipient and the acceptance link, and acknowledges what it printed", async () => {
    const link = "http://127.0.0.1:8787/accept?code=inv_1.secret"
    expect(OutboxPrinter.describe(message("obx_1", link))).toBe(`[outbox] team.invitation to new.partner@example.com: ${link}`)
    const left = await Effect.runPromise(Effect.gen(function*() {
      const outbox = yield* Outbox.Outbox
      yield* outbox.append(message("obx_1", link))
      yield* outbox.append(message("obx_2", link))
      yield* OutboxPrinter.drain
      return yield* outbox.pending(10)
    }).pipe(Effect.provide(MemoryOutbox.layerMemory)))
    expect(left).toEqual([])
  })
})
