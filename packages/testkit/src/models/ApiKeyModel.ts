import { Audit, ClientRepo, Ids, Tenancy } from "@aidial/domain"
import { Effect, Layer, Logger, LogLevel, ManagedRuntime, Option } from "effect"
import * as fc from "fast-check"
import * as ApiKeyArbitraries from "../ApiKeyArbitraries.js"
import { StoredRows } from "../MemoryApiKeyRepo.js"
import * as TestClock from "../TestClock.js"
import { AdvanceClockCommand } from "./AdvanceClockCommand.js"
import { ArchiveClientCommand } from "./apikey/ArchiveClientCommand.js"
import { CreateCommand } from "./apikey/CreateCommand.js"
import { RevokeCommand } from "./apikey/RevokeCommand.js"
import { RotateCommand } from "./apikey/RotateCommand.js"
import { VerifyCommand } from "./apikey/VerifyCommand.js"
import { allEvents, type Model, partnerOrgId, type Provided, type Real } from "./apikey/World.js"

export type { Model, Provided, Real } from "./apikey/World.js"

const day = 86_400_000
const clientCount = 3
const start = new Date("2026-01-01T00:00:00.000Z")

/** Sequences of lifecycle commands over three clients. */
export const commands: fc.Arbitrary<Iterable<fc.AsyncCommand<Model, Real>>> = fc.commands([
  fc.tuple(fc.nat(clientCount - 1), ApiKeyArbitraries.scope, ApiKeyArbitraries.environment, ApiKeyArbitraries.expiry)
    .map(([client, scope, environment, expiry]) => new CreateCommand(client, scope, environment, expiry)),
  fc.tuple(fc.nat(), fc.option(ApiKeyArbitraries.expiry, { nil: null }))
    .map(([key, expiry]) => new RotateCommand(key, Option.fromNullable(expiry))),
  fc.nat().map((key) => new RevokeCommand(key)),
  fc.nat().map((key) => new VerifyCommand(key)),
  fc.nat().map((key) => new VerifyCommand(key)),
  fc.constantFrom(3_600_000, day, 29 * day, 31 * day, 91 * day).map((ms) => new AdvanceClockCommand<Model, Real>(ms)),
  fc.nat(clientCount - 1).map((client) => new ArchiveClientCommand(client))
], { maxCommands: 40 })

let runs = 0

/**
 * Runs the API-key model against the adapter `layer` (built afresh for every run): after every
 * command the real system agrees with the model, and at the end every key verifies exactly when the
 * model says it is usable, and no plaintext appears in any stored row, log line or audit event.
 */
export const check = async <E>(
  layer: Layer.Layer<Provided, E>,
  parameters: fc.Parameters<[Iterable<fc.AsyncCommand<Model, Real>>]> = {}
): Promise<void> => {
  await fc.assert(
    fc.asyncProperty(commands, async (cmds) => {
      const lines: Array<string> = []
      const capture = Logger.map(Logger.logfmtLogger, (line) => void lines.push(line))
      const runtime = ManagedRuntime.make(Layer.mergeAll(
        layer,
        TestClock.layer(start),
        Layer.succeed(Audit.CurrentRequest, { requestId: "req_model" }),
        Logger.replace(Logger.defaultLogger, capture),
        Logger.minimumLogLevel(LogLevel.All)
      ))
      try {
        const run = `${Date.now().toString(36)}${(runs++).toString(36)}`
        const clientIds = Array.from({ length: clientCount }, (_, i) => Ids.ClientId.make(`cli_model_${run}_${i}`))
        await runtime.runPromise(Effect.gen(function*() {
          const clients = yield* ClientRepo.ClientRepo
          for (const id of clientIds) {
            yield* clients.insert(
              new Tenancy.Client({ id, partnerOrgId, name: id, status: "active", createdAt: start })
            )
          }
        }))
        const model: Model = { now: start.getTime(), keys: [], archived: new Set() }
        const real: Real = { run: (effect) => runtime.runPromise(effect), clientIds, lines }
        await fc.asyncModelRun(() => ({ model, real }), cmds)

        for (let i = 0; i < model.keys.length; i++) await new VerifyCommand(i).run(model, real)
        const stored = await runtime.runPromise(Effect.flatMap(StoredRows, (rows) => rows.dump))
        const events = JSON.stringify(await runtime.runPromise(allEvents))
        const logged = lines.join("\n")
        for (const key of model.keys) {
          if (stored.includes(key.plaintext)) throw new Error(`the plaintext of ${key.id} is stored`)
          if (events.includes(key.plaintext)) throw new Error(`the plaintext of ${key.id} is in an audit event`)
          if (logged.includes(key.plaintext)) throw new Error(`the plaintext of ${key.id} is in a log line`)
        }
        if (model.keys.length > 0 && !logged.includes("<redacted>")) throw new Error("no issued key was logged")
      } finally {
        await runtime.dispose()
      }
    }),
    parameters
  )
}
