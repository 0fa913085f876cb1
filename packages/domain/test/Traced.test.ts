import { Effect, Exit, Tracer } from "effect"
import { describe, expect, it } from "vitest"
import * as Directory from "../src/usecases/Directory.js"
import * as Ids from "../src/Ids.js"
import { ClientRepo } from "../src/ports/ClientRepo.js"
import * as Principal from "../src/Principal.js"
import * as Traced from "../src/Traced.js"

/** Effect's own tracer, recording the name of every span it is asked to start. */
const recording = () => {
  const names: Array<string> = []
  const native = Effect.runSync(Effect.tracer)
  const tracer = Tracer.make({
    span: (name, parent, context, links, startTime, kind, options) => {
      names.push(name)
      return native.span(name, parent, context, links, startTime, kind, options)
    },
    context: native.context
  })
  return { names, tracer }
}

/** A client repository every call of which is an error: the use case below must not reach storage. */
const noStorage = ClientRepo.of({
  get: () => Effect.die("not called"),
  getWithin: () => Effect.die("not called"),
  insert: () => Effect.die("not called"),
  update: () => Effect.die("not called"),
  list: () => Effect.die("not called")
})

const unaffiliated = Principal.Unaffiliated({ userId: Ids.UserId.make("usr_nobody") })
const page = { after: null, limit: 10 }

describe("Traced.span", () => {
  it("opens a span of the given name around the effect when the tracer is enabled, and keeps its result", () => {
    const { names, tracer } = recording()
    const exit = Effect.runSyncExit(Effect.succeed(42).pipe(Traced.span("Answer.compute"), Effect.withTracer(tracer)))
    expect(exit).toEqual(Exit.succeed(42))
    expect(names).toEqual(["Answer.compute"])
  })

  it("opens no span and keeps the result, failures included, when the tracer is disabled", () => {
    const { names, tracer } = recording()
    const run = <A, E>(effect: Effect.Effect<A, E>) =>
      Effect.runSyncExit(effect.pipe(Traced.span("Answer.compute"), Effect.withTracer(tracer), Effect.withTracerEnabled(false)))
    expect(run(Effect.succeed(42))).toEqual(Exit.succeed(42))
    expect(run(Effect.fail("no"))).toEqual(Exit.fail("no"))
    expect(names).toEqual([])
  })

  it("names a use case's span after the use case, only when tracing is on", () => {
    const { names, tracer } = recording()
    const listed = (enabled: boolean) =>
      Effect.runSync(Directory.listClients(unaffiliated, page).pipe(
        Effect.provideService(ClientRepo, noStorage),
        Effect.withTracer(tracer),
        Effect.withTracerEnabled(enabled),
        Effect.map((result) => result.items.length)
      ))
    expect(listed(false)).toBe(0)
    expect(names).toEqual([])
    expect(listed(true)).toBe(0)
    expect(names).toEqual(["Directory.listClients"])
  })
})

