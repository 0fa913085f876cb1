import { Effect } from "effect"
import type * as fc from "fast-check"
import { TestClock } from "../TestClock.js"

/** A model that keeps time: the instant it believes it is. */
export interface Clocked {
  now: number
}

/** A real system whose effects run on a test clock. */
export interface OnTestClock {
  readonly run: (effect: Effect.Effect<void, never, TestClock>) => Promise<unknown>
}

/** Moves the test clock forward in any model that keeps time; what expires (keys, invitations) follows with no job. */
export class AdvanceClockCommand<M extends Clocked, R extends OnTestClock> implements fc.AsyncCommand<M, R> {
  constructor(readonly ms: number) {}
  check = () => true
  async run(model: M, real: R): Promise<void> {
    await real.run(Effect.flatMap(TestClock, (clock) => clock.advance(this.ms)))
    model.now += this.ms
  }
  toString = () => `advance(${this.ms} ms)`
}
