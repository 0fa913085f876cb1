import { type ApiKey, ApiKeys } from "@aidial/domain"
import { Effect, Option, Redacted } from "effect"
import type * as fc from "fast-check"
import { manager, type Model, type Real } from "./World.js"

/** Rotates one of the keys: succeeds only for an active unexpired key of an active client. */
export class RotateCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly keyIndex: number, readonly expiry: Option.Option<ApiKey.Expiry>) {}
  check = (model: Readonly<Model>) => model.keys.length > 0
  async run(model: Model, real: Real): Promise<void> {
    const source = model.keys[this.keyIndex % model.keys.length]
    const clientId = source === undefined ? undefined : real.clientIds[source.clientIndex]
    if (source === undefined || clientId === undefined) throw new Error("no key")
    const result = await real.run(
      Effect.either(ApiKeys.rotate(manager, new ApiKeys.RotateRequest({ clientId, keyId: source.id, expiry: this.expiry })))
        .pipe(Effect.tap((r) => Effect.log("rotate", r)))
    )
    const expected = model.archived.has(source.clientIndex)
      ? "NotFound"
      : source.status === "active" && (source.expiresAt === null || model.now < source.expiresAt)
      ? "ok"
      : "ApiKeyConflict"
    const actual = result._tag === "Left" ? result.left._tag : "ok"
    if (actual !== expected) throw new Error(`rotate: expected ${expected}, got ${actual}`)
    if (result._tag === "Left") return
    const replacement = result.right.key
    if (replacement.rotatedFrom !== source.id || result.right.previous.rotatedTo !== replacement.id) {
      throw new Error("rotation is not linked both ways")
    }
    const expiresAt = Option.match(this.expiry, {
      onNone: () => source.expiresAt,
      onSome: (e) => (e._tag === "InDays" ? model.now + e.days * 86_400_000 : e._tag === "At" ? e.at.getTime() : null)
    })
    if ((replacement.expiresAt?.getTime() ?? null) !== expiresAt) throw new Error("rotation set the wrong expiry")
    if (replacement.scope !== source.scope || replacement.environment !== source.environment) {
      throw new Error("rotation changed scope or environment")
    }
    source.status = "rotated"
    model.keys.push({
      id: replacement.id,
      clientIndex: source.clientIndex,
      plaintext: Redacted.value(result.right.plaintext),
      scope: source.scope,
      environment: source.environment,
      status: "active",
      expiresAt
    })
  }
  toString = () => `rotate(key ${this.keyIndex}, ${JSON.stringify(Option.getOrNull(this.expiry))})`
}
