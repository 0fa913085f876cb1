import { Effect } from "effect"
import type * as fc from "fast-check"
import { TestClock } from "../../TestClock.js"
import type { Model, Real } from "./World.js"

/** Moves time forward; expiry follows with no job. */
export class AdvanceClockCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly ms: number) {}
  check = () => true
  async run(model: Model, real: Real): Promise<void> {
    await real.run(Effect.flatMap(TestClock, (clock) => clock.advance(this.ms)))
    model.now += this.ms
  }
  toString = () => `advance(${this.ms} ms)`
}
