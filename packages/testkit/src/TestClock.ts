import { Clock } from "@aidial/domain"
import { Context, Effect, Layer } from "effect"

/** A clock that stands still until a test moves it. */
export class TestClock extends Context.Tag("@aidial/testkit/TestClock")<TestClock, {
  /** Moves the clock forward by `ms` milliseconds. */
  readonly advance: (ms: number) => Effect.Effect<void>
  /** Sets the clock to an instant. */
  readonly set: (instant: Date) => Effect.Effect<void>
}>() {}

/** Both the domain `Clock` and its `TestClock` control, starting at `start`. */
export const layer = (start: Date = new Date("2026-01-01T00:00:00.000Z")): Layer.Layer<Clock.Clock | TestClock> => {
  let now = start.getTime()
  return Layer.mergeAll(
    Layer.succeed(Clock.Clock, Clock.Clock.of({ now: Effect.sync(() => new Date(now)) })),
    Layer.succeed(TestClock, TestClock.of({
      advance: (ms) => Effect.sync(() => void (now += ms)),
      set: (instant) => Effect.sync(() => void (now = instant.getTime()))
    }))
  )
}
