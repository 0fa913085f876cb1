import { Audit, ClientRepo, Configuration, Ids, type Json, Tenancy } from "@aidial/domain"
import { Effect, Layer, ManagedRuntime } from "effect"
import * as fc from "fast-check"
import * as TestClock from "../TestClock.js"
import { CreateCommand } from "./project/CreateCommand.js"
import { PatchCommand } from "./project/PatchCommand.js"
import { PublishCommand } from "./project/PublishCommand.js"
import { RestoreCommand } from "./project/RestoreCommand.js"
import { ToggleEntitlementCommand } from "./project/ToggleEntitlementCommand.js"
import { type Model, partnerOrgId, type Provided, type Real } from "./project/World.js"

export type { Model, Provided, Real } from "./project/World.js"

const start = new Date("2026-01-01T00:00:00.000Z")

/** Merge patches over a few fields of the agent and two optional domains (set, replace or remove). */
const patches: fc.Arbitrary<Json.JsonObject> = fc.oneof(
  fc.constantFrom("Greet callers.", "Book appointments.", "").map((instructions) => ({ agent: { instructions } })),
  fc.constantFrom("aria", "default").map((voice) => ({ agent: { voice } })),
  fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }).map((n) => ({
    call_limits: n === null ? null : { max_concurrent_calls: n, max_call_minutes: 10, daily_call_cap: 100 }
  })),
  fc.option(fc.constantFrom(["kb_faq"], ["kb_faq", "kb_prices"]), { nil: null }).map((ids) => ({
    knowledge: ids === null ? null : { knowledge_base_ids: ids }
  }))
)

/** Sequences of create, patch (fresh and stale), publish, restore and entitlement toggles. */
export const commands: fc.Arbitrary<Iterable<fc.AsyncCommand<Model, Real>>> = fc.commands([
  fc.constant(new CreateCommand()),
  fc.tuple(fc.nat(), fc.boolean(), patches).map(([p, stale, patch]) => new PatchCommand(p, stale, patch)),
  fc.tuple(fc.nat(), patches).map(([p, patch]) => new PatchCommand(p, false, patch)),
  fc.nat().map((p) => new PublishCommand(p)),
  fc.tuple(fc.nat(), fc.nat(), fc.boolean()).map(([p, v, stale]) => new RestoreCommand(p, v, stale)),
  fc.constantFrom<Configuration.RuntimeDomain>("call_limits", "knowledge").map((d) => new ToggleEntitlementCommand(d))
], { maxCommands: 40, size: "large" })

let runs = 0

/**
 * Runs the project-configuration model against the adapter `layer` (built afresh for every run).
 * After every command the real system agrees with the model: versions are contiguous from 1 and never
 * change (their hash included), live is the last published, a stale revision changes nothing, and
 * restoring version k then publishing gives version k's content.
 */
export const check = async <E>(
  layer: Layer.Layer<Provided, E>,
  parameters: fc.Parameters<[Iterable<fc.AsyncCommand<Model, Real>>]> = {}
): Promise<void> => {
  await fc.assert(
    fc.asyncProperty(commands, async (cmds) => {
      const runtime = ManagedRuntime.make(Layer.mergeAll(
        layer,
        TestClock.layer(start),
        Layer.succeed(Audit.CurrentRequest, { requestId: "req_model" })
      ))
      try {
        const clientId = Ids.ClientId.make(`cli_model_${Date.now().toString(36)}${(runs++).toString(36)}`)
        await runtime.runPromise(Effect.flatMap(ClientRepo.ClientRepo, (clients) =>
          clients.insert(new Tenancy.Client({ id: clientId, partnerOrgId, name: clientId, status: "active", createdAt: start }))))
        const model: Model = { projects: [], enabled: new Set(["agent"]) }
        const real: Real = { run: (effect) => runtime.runPromise(effect), clientId }
        await fc.asyncModelRun(() => ({ model, real }), cmds)
      } finally {
        await runtime.dispose()
      }
    }),
    parameters
  )
}
