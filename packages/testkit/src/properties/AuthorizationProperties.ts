import { Policy, Principal } from "@aidial/domain"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Arbitraries from "../Arbitraries.js"

/** An authorization decision function: `Policy.authorize`, or a consumer's own built on it. */
export type Authorize = (principal: Principal.Principal, action: Policy.Action, target: Policy.Target) => Policy.Decision

/** How the suite runs. */
export interface Options {
  /** Generated worlds per property (default 1,000). */
  readonly numRuns?: number
  /**
   * Also require that everything within a principal's own tenancy is seen (answered with more than
   * `NotFound`, writes to archived clients aside). True for `Policy.authorize`; a consumer's stricter
   * rules may hide more and leave it off.
   */
  readonly exact?: boolean
}

/**
 * The oracle: what a principal may know exists, read from the world's facts (memberships,
 * organisations, clients, assignments) as the specification states them, without `Policy`.
 * An API key's facts are its own client and environment; a platform user's selection is the request's.
 */
export const withinTenancy = (world: Arbitraries.World) => {
  const membershipOf = new Map(world.memberships.map((m) => [m.userId, m]))
  const orgStatus = new Map(world.orgs.map((o) => [o.id, o.status]))
  const ownerOf = new Map(world.clients.map((c) => [c.id, c.partnerOrgId]))
  const assigned = new Set(world.assignments.map((a) => `${a.userId} ${a.clientId}`))
  return (principal: Principal.Principal, action: Policy.Action, target: Policy.Target): boolean => {
    if (principal._tag === "Unaffiliated") return false
    if (principal._tag === "ApiKey") {
      return target._tag === "Client" && target.clientId === principal.clientId &&
        (target.environment === null || target.environment === principal.environment)
    }
    const membership = membershipOf.get(principal.userId)
    switch (membership?._tag) {
      case undefined:
        return false
      case "PlatformMembership":
        // Everything on the platform, but a client's contents only with that client selected.
        return target._tag !== "Client" || action === "client.view" ||
          (principal._tag === "PlatformUser" && principal.selectedClientId === target.clientId)
      case "PartnerMembership": {
        const { partnerOrgId, role, userId } = membership
        // Its own organisation, a partner_user only once it is active; of its clients, a partner_user
        // only those assigned to them.
        if (target._tag === "PartnerOrg") {
          return target.partnerOrgId === partnerOrgId && (role === "partner_admin" || orgStatus.get(partnerOrgId) === "active")
        }
        return target._tag === "Client" && ownerOf.get(target.clientId) === partnerOrgId &&
          (role === "partner_admin" || assigned.has(`${userId} ${target.clientId}`))
      }
      case "CustomerMembership":
        return target._tag === "Client" && target.clientId === membership.clientId
    }
  }
}

/** Every action but the `.view` ones writes. */
const writes = (action: Policy.Action): boolean => !action.endsWith(".view")

/** Whether the world's facts say the target is an archived client. */
const archived = (world: Arbitraries.World, target: Policy.Target): boolean =>
  target._tag === "Client" && world.clients.some((c) => c.id === target.clientId && c.status === "archived")

/** Actions an API key must never hold, whatever its scope. */
const bearerOnly = Policy.actions.filter((a) =>
  /^(team|partner|apikey\.(create|rotate|revoke)|client\.(provision|edit|assign|archive)|audit|entitlement)/.test(a)
)

/**
 * The authorization properties over generated worlds (`Arbitraries.world`), as vitest tests for
 * `authorize`: no access across tenants, partner organisations or environments; partner_user within
 * partner_admin; read key within manage key; the operator never writes; archived clients are never
 * written; only aidial_admin sets entitlements; API keys hold no bearer-only action; with `exact`, the principal's own tenancy is seen.
 */
export const suite = (name: string, authorize: Authorize, options: Options = {}): void => {
  const runs = { numRuns: options.numRuns ?? 1000 }
  const decisions = (principal: Principal.Principal, world: Arbitraries.World) =>
    Policy.actions.flatMap((action) =>
      Arbitraries.targetsOf(world).map((target) => ({ action, target, decision: authorize(principal, action, target) }))
    )
  const property = (
    pick: (principal: Principal.Principal) => boolean,
    check: (principal: Principal.Principal, world: Arbitraries.World) => void
  ) =>
  () =>
    fc.assert(
      fc.property(Arbitraries.worldWithPrincipal(pick), ({ principal, world }) => {
        fc.pre(principal !== null)
        check(principal, world)
      }),
      runs
    )
  const anyone = () => true

  describe(`${name}: authorization over generated worlds`, () => {
    it("never allows anything across tenants, partner organisations or environments", property(anyone, (principal, world) => {
      const within = withinTenancy(world)
      expect(decisions(principal, world).filter((d) => d.decision !== "NotFound" && !within(principal, d.action, d.target)))
        .toEqual([])
    }))

    if (options.exact === true) {
      it("answers everything within the principal's own tenancy with more than NotFound, archived writes aside", property(anyone, (principal, world) => {
        const within = withinTenancy(world)
        expect(decisions(principal, world).filter((d) =>
          d.decision === "NotFound" && within(principal, d.action, d.target) &&
          !(writes(d.action) && archived(world, d.target))
        )).toEqual([])
      }))
    }

    it(
      "gives a partner_user no right its organisation's partner_admin lacks",
      property((p) => p._tag === "PartnerUser" && p.role === "partner_user", (principal, world) => {
        fc.pre(principal._tag === "PartnerUser")
        const admin = Principal.PartnerUser({ ...principal, role: "partner_admin", assignedClientIds: new Set() })
        expect(decisions(principal, world).filter((d) => d.decision === "Allow" && authorize(admin, d.action, d.target) !== "Allow"))
          .toEqual([])
      })
    )

    it(
      "gives a read key no right the manage key of the same client and environment lacks",
      property((p) => p._tag === "ApiKey" && p.scope === "read", (principal, world) => {
        fc.pre(principal._tag === "ApiKey")
        const manage = Principal.ApiKey({ ...principal, scope: "manage" })
        expect(decisions(principal, world).filter((d) => d.decision === "Allow" && authorize(manage, d.action, d.target) !== "Allow"))
          .toEqual([])
      })
    )

    it("never lets aidial_operator write, nor anyone write to an archived client", property(anyone, (principal, world) => {
      const allowedWrites = decisions(principal, world).filter((d) => d.decision === "Allow" && writes(d.action))
      const operator = principal._tag === "PlatformUser" && principal.role === "aidial_operator"
      expect(operator ? allowedWrites : []).toEqual([])
      expect(allowedWrites.filter((d) => archived(world, d.target))).toEqual([])
    }))

    it("lets only aidial_admin set a client's entitlements", property(anyone, (principal, world) => {
      const admin = principal._tag === "PlatformUser" && principal.role === "aidial_admin"
      expect(decisions(principal, world).filter((d) => d.decision === "Allow" && d.action === "entitlement.manage" && !admin))
        .toEqual([])
    }))

    it("gives API keys none of the bearer-only actions", property((p) => p._tag === "ApiKey", (principal, world) => {
      expect(decisions(principal, world).filter((d) => d.decision === "Allow" && bearerOnly.includes(d.action))).toEqual([])
    }))
  })
}
