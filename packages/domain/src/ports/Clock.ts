import { Context, Effect, Layer } from "effect"

/** The time every decision about expiry and every timestamp is taken from. */
export class Clock extends Context.Tag("@aidial/domain/Clock")<Clock, {
  /** The current instant. */
  readonly now: Effect.Effect<Date>
}>() {}

/** The machine's wall clock. */
export const layer: Layer.Layer<Clock> = Layer.succeed(Clock, Clock.of({ now: Effect.sync(() => new Date()) }))
