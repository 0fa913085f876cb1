import { ApiKeys } from "@aidial/domain"
import type * as fc from "fast-check"
import { manager, type Model, outcome, type Real } from "./World.js"

/** Revokes one of the keys: succeeds only for a stored-active key of an active client. */
export class RevokeCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly keyIndex: number) {}
  check = (model: Readonly<Model>) => model.keys.length > 0
  async run(model: Model, real: Real): Promise<void> {
    const key = model.keys[this.keyIndex % model.keys.length]
    const clientId = key === undefined ? undefined : real.clientIds[key.clientIndex]
    if (key === undefined || clientId === undefined) throw new Error("no key")
    const actual = await real.run(
      outcome(ApiKeys.revoke(manager, new ApiKeys.RevokeRequest({ clientId, keyId: key.id, reason: "model" })))
    )
    const expected = model.archived.has(key.clientIndex) ? "NotFound" : key.status === "active" ? "ok" : "ApiKeyConflict"
    if (actual !== expected) throw new Error(`revoke: expected ${expected}, got ${actual}`)
    if (actual === "ok") key.status = "revoked"
  }
  toString = () => `revoke(key ${this.keyIndex})`
}
