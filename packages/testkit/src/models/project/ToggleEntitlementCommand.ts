import { type Configuration, Projects } from "@aidial/domain"
import type * as fc from "fast-check"
import { type Model, platformAdmin, type Real, verify } from "./World.js"

/** An aidial_admin turns one runtime domain on or off for the client; `agent` stays on. */
export class ToggleEntitlementCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly domain: Configuration.RuntimeDomain) {}
  check = () => true
  async run(model: Model, real: Real): Promise<void> {
    const next = new Set(model.enabled)
    if (next.has(this.domain)) next.delete(this.domain)
    else next.add(this.domain)
    next.add("agent")
    const stored = await real.run(Projects.setEntitlements(platformAdmin(real.clientId), real.clientId, [...next]))
    if ([...stored.enabled].sort().join() !== [...next].sort().join()) throw new Error(`entitlements: ${stored.enabled.join()}`)
    model.enabled.clear()
    for (const d of next) model.enabled.add(d)
    await verify(model, real)
  }
  toString = () => `toggle(${this.domain})`
}
