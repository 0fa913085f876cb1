import { ApiKey, ApiKeys } from "@aidial/domain"
import { Effect, Redacted } from "effect"
import type * as fc from "fast-check"
import { manager, type Model, type Real } from "./World.js"

/** Creates a key for one of the model's clients; refused (as missing) for an archived client. */
export class CreateCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly clientIndex: number,
    readonly scope: ApiKey.Scope,
    readonly environment: "live" | "test",
    readonly expiry: ApiKey.Expiry
  ) {}
  check = () => true
  async run(model: Model, real: Real): Promise<void> {
    const clientId = real.clientIds[this.clientIndex % real.clientIds.length]
    if (clientId === undefined) throw new Error("no clients")
    const request = new ApiKeys.CreateRequest({
      clientId,
      name: "model key",
      description: "",
      scope: this.scope,
      environment: this.environment,
      expiry: this.expiry
    })
    const result = await real.run(Effect.either(ApiKeys.create(manager, request)).pipe(
      Effect.tap((r) => Effect.log("create", r))
    ))
    const archived = model.archived.has(this.clientIndex % real.clientIds.length)
    if (result._tag === "Left") {
      if (!archived || result.left._tag !== "NotFound") throw new Error(`create failed: ${result.left._tag}`)
      return
    }
    if (archived) throw new Error("created a key for an archived client")
    const expiresAt = this.expiry._tag === "InDays" ? model.now + this.expiry.days * 86_400_000 : null
    if ((result.right.key.expiresAt?.getTime() ?? null) !== expiresAt) throw new Error("wrong expiry")
    model.keys.push({
      id: result.right.key.id,
      clientIndex: this.clientIndex % real.clientIds.length,
      plaintext: Redacted.value(result.right.plaintext),
      scope: this.scope,
      environment: this.environment,
      status: "active",
      expiresAt
    })
  }
  toString = () => `create(client ${this.clientIndex}, ${this.scope}, ${this.environment}, ${JSON.stringify(this.expiry)})`
}
