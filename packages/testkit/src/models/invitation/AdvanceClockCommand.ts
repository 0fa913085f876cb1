import { Effect } from "effect"
import type * as fc from "fast-check"
import { TestClock } from "../../TestClock.js"
import type { Model, Real } from "./World.js"

/** Moves the clock forward, so invitations expire. */
export class AdvanceClockCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ms: number) {}
  check = () => true
  async run(m: Model, r: Real): Promise<void> {
    await r.run(Effect.flatMap(TestClock, (clock) => clock.advance(this.ms)))
    m.now += this.ms
  }
  toString = () => `advance(${this.ms}ms)`
}
