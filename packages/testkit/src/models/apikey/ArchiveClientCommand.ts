import { ClientRepo, Tenancy } from "@aidial/domain"
import { Effect, Option } from "effect"
import type * as fc from "fast-check"
import type { Model, Real } from "./World.js"

/** Archives one of the clients: none of its keys authenticates any more. */
export class ArchiveClientCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly clientIndex: number) {}
  check = () => true
  async run(model: Model, real: Real): Promise<void> {
    const index = this.clientIndex % real.clientIds.length
    const id = real.clientIds[index]
    if (id === undefined) throw new Error("no client")
    await real.run(Effect.gen(function*() {
      const clients = yield* ClientRepo.ClientRepo
      const client = Option.getOrThrow(yield* clients.get(id))
      yield* clients.update(new Tenancy.Client({ ...client, status: "archived" }))
    }))
    model.archived.add(index)
  }
  toString = () => `archive(client ${this.clientIndex})`
}
