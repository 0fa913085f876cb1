/** Which runtime domains a client may configure ("controls where enabled"); `agent` is always enabled. */
import { Either, Schema } from "effect"
import * as Configuration from "./Configuration.js"
import { ClientId } from "./Ids.js"
import type { Principal } from "./Principal.js"
import { BearerOnlyDomain, DomainNotEnabled } from "./Project.js"

/** A client's enabled runtime domains, as set by an aidial_admin. */
export class Entitlements extends Schema.Class<Entitlements>("Entitlements")({
  clientId: ClientId,
  enabled: Schema.Array(Configuration.RuntimeDomain),
  updatedAt: Schema.NullOr(Schema.DateFromSelf)
}) {}

/** A client nobody has set entitlements for: `agent` alone. */
export const initial = (clientId: ClientId): Entitlements => new Entitlements({ clientId, enabled: ["agent"], updatedAt: null })

/** The enabled domains as a set, `agent` always included. */
export const enabledSet = (entitlements: Entitlements): ReadonlySet<Configuration.RuntimeDomain> =>
  new Set<Configuration.RuntimeDomain>(["agent", ...entitlements.enabled])

/** The enabled list to store: `agent` included, each domain once, in document order. */
export const normalize = (enabled: ReadonlyArray<Configuration.RuntimeDomain>): ReadonlyArray<Configuration.RuntimeDomain> =>
  Configuration.domains.filter((d) => d === "agent" || enabled.includes(d))

/**
 * Whether `principal` may write the runtime domains `touched`: each must be enabled, and a
 * bearer-only domain refuses API keys. The first refusal in document order is the answer.
 */
export const checkWrite = (
  principal: Principal,
  enabled: ReadonlySet<Configuration.RuntimeDomain>,
  touched: ReadonlyArray<string>
): Either.Either<void, DomainNotEnabled | BearerOnlyDomain> => {
  for (const domain of Configuration.domains) {
    if (!touched.includes(domain)) continue
    if (principal._tag === "ApiKey" && Configuration.bearerOnly.has(domain)) {
      return Either.left(new BearerOnlyDomain({ domain }))
    }
    if (domain !== "agent" && !enabled.has(domain)) return Either.left(new DomainNotEnabled({ domain }))
  }
  return Either.void
}
