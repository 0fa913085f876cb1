import { Context, type Effect, type Option } from "effect"
import type { Entitlements } from "../Entitlements.js"
import type { ClientId } from "../Ids.js"
import type { StorageError } from "../StorageError.js"

/** Which runtime domains each client has enabled. */
export class EntitlementRepo extends Context.Tag("@aidial/domain/EntitlementRepo")<EntitlementRepo, {
  /** The client's entitlements, if any were ever set (else `Entitlements.initial`). */
  readonly get: (clientId: ClientId) => Effect.Effect<Option.Option<Entitlements>, StorageError>
  /** Replaces the client's entitlements. */
  readonly put: (entitlements: Entitlements) => Effect.Effect<void, StorageError>
}>() {}
