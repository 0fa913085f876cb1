import { EntitlementRepo, type Entitlements } from "@aidial/domain"
import { Effect, Layer, Option } from "effect"
import * as Journal from "./internal/Journal.js"

/** Entitlements in a `Map`, for tests and prototypes. */
export const layerMemory: Layer.Layer<EntitlementRepo.EntitlementRepo> = Layer.sync(EntitlementRepo.EntitlementRepo, () => {
  const entitlements = new Map<string, Entitlements.Entitlements>()
  return EntitlementRepo.EntitlementRepo.of({
    get: (clientId) => Effect.sync(() => Option.fromNullable(entitlements.get(clientId))),
    put: (e) => Journal.set(entitlements, e.clientId, e)
  })
})
