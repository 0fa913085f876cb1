import { ApiKeys } from "@aidial/domain"
import { Effect, Either, Redacted } from "effect"
import type * as fc from "fast-check"
import { isUsable, type Model, type Real } from "./World.js"

/**
 * Presents one of the keys' plaintexts: it authenticates (as its own client, scope and environment)
 * exactly when the key is active, unexpired and its client active.
 */
export class VerifyCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly keyIndex: number) {}
  check = (model: Readonly<Model>) => model.keys.length > 0
  async run(model: Model, real: Real): Promise<void> {
    const key = model.keys[this.keyIndex % model.keys.length]
    if (key === undefined) throw new Error("no key")
    const result = await real.run(Effect.either(ApiKeys.verify(Redacted.make(key.plaintext))))
    const usable = isUsable(model, key)
    if (Either.isLeft(result)) {
      if (usable) throw new Error(`a usable key did not verify: ${result.left._tag}`)
      if (result.left._tag !== "InvalidApiKey") throw new Error(`verify failed with ${result.left._tag}`)
      return
    }
    if (!usable) throw new Error(`a ${key.status} key verified`)
    const p = result.right
    if (p.keyId !== key.id || p.clientId !== real.clientIds[key.clientIndex] || p.scope !== key.scope || p.environment !== key.environment) {
      throw new Error("verified as the wrong principal")
    }
  }
  toString = () => `verify(key ${this.keyIndex})`
}
