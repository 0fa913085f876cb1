import { Ids, Policy, Principal } from "@aidial/domain"
import { describe, expect, it } from "vitest"

/**
 * SPEC section 4, transcribed cell by cell (not derived from `Policy.matrix`), plus the three
 * actions this library adds: partner.provision, partner.edit and client.edit, and the entitlements of
 * section 7 (viewed by every signed-in role in scope, set by aidial_admin alone; never with an API key).
 * yes: allowed in scope; no: never allowed; assigned: partner_user on assigned clients only;
 * own: the principal's own client; env: own client and own environment; boot: once the org is active.
 */
type Cell = "yes" | "no" | "assigned" | "own" | "env" | "boot"
const columns = ["aidial_admin", "aidial_operator", "partner_admin", "partner_user", "customer", "key_manage", "key_read"] as const
type Column = (typeof columns)[number]

const spec: Record<Policy.Action, readonly [Cell, Cell, Cell, Cell, Cell, Cell, Cell]> = {
  "team.view": ["yes", "yes", "yes", "boot", "no", "no", "no"],
  "team.manage": ["yes", "no", "yes", "no", "no", "no", "no"],
  "partner.provision": ["yes", "no", "no", "no", "no", "no", "no"],
  "partner.edit": ["yes", "no", "yes", "no", "no", "no", "no"],
  "client.view": ["yes", "yes", "yes", "assigned", "own", "own", "own"],
  "client.provision": ["yes", "no", "yes", "no", "no", "no", "no"],
  "client.edit": ["yes", "no", "yes", "no", "no", "no", "no"],
  "client.assign": ["yes", "no", "yes", "no", "no", "no", "no"],
  "client.archive": ["yes", "no", "yes", "no", "no", "no", "no"],
  "project.view": ["yes", "yes", "yes", "assigned", "own", "env", "env"],
  "project.edit": ["yes", "no", "yes", "no", "no", "env", "no"],
  "project.publish": ["yes", "no", "yes", "no", "no", "env", "no"],
  "project.restore": ["yes", "no", "yes", "no", "no", "env", "no"],
  "entitlement.view": ["yes", "yes", "yes", "assigned", "own", "no", "no"],
  "entitlement.manage": ["yes", "no", "no", "no", "no", "no", "no"],
  "campaign.view": ["yes", "yes", "yes", "assigned", "own", "env", "env"],
  "campaign.manage": ["yes", "no", "yes", "no", "no", "env", "no"],
  "apikey.view": ["yes", "yes", "yes", "assigned", "no", "own", "own"],
  "apikey.create": ["yes", "no", "yes", "no", "no", "no", "no"],
  "apikey.rotate": ["yes", "no", "yes", "no", "no", "no", "no"],
  "apikey.revoke": ["yes", "no", "yes", "no", "no", "no", "no"],
  "integration.view": ["yes", "yes", "yes", "assigned", "no", "own", "own"],
  "integration.manage": ["yes", "no", "yes", "no", "no", "own", "no"],
  "capacity.view": ["yes", "yes", "yes", "assigned", "own", "own", "own"],
  "audit.view": ["yes", "yes", "yes", "no", "no", "no", "no"]
}

const org1 = Ids.PartnerOrgId.make("org_1")
const org2 = Ids.PartnerOrgId.make("org_2")
const assigned = { id: Ids.ClientId.make("cli_assigned"), partnerOrgId: org1, status: "active" } as const
const unassigned = { id: Ids.ClientId.make("cli_unassigned"), partnerOrgId: org1, status: "active" } as const
const foreign = { id: Ids.ClientId.make("cli_foreign"), partnerOrgId: org2, status: "active" } as const
const user = Ids.UserId.make("usr_1")

const principals: Record<Column, ReadonlyArray<Principal.Principal>> = {
  aidial_admin: [Principal.PlatformUser({ userId: user, role: "aidial_admin", selectedClientId: assigned.id })],
  aidial_operator: [Principal.PlatformUser({ userId: user, role: "aidial_operator", selectedClientId: assigned.id })],
  partner_admin: [Principal.PartnerUser({
    userId: user,
    role: "partner_admin",
    partnerOrgId: org1,
    partnerOrgStatus: "active",
    assignedClientIds: new Set()
  })],
  partner_user: [Principal.PartnerUser({
    userId: user,
    role: "partner_user",
    partnerOrgId: org1,
    partnerOrgStatus: "active",
    assignedClientIds: new Set([assigned.id])
  })],
  customer: [
    Principal.CustomerUser({ userId: user, role: "customer_admin", clientId: assigned.id }),
    Principal.CustomerUser({ userId: user, role: "customer_user", clientId: assigned.id })
  ],
  key_manage: [Principal.ApiKey({ keyId: Ids.ApiKeyId.make("key_1"), clientId: assigned.id, environment: "live", scope: "manage" })],
  key_read: [Principal.ApiKey({ keyId: Ids.ApiKeyId.make("key_1"), clientId: assigned.id, environment: "live", scope: "read" })]
}

const environmental = (action: Policy.Action) => action.startsWith("project.") || action.startsWith("campaign.")

/** The target an action of the row is aimed at, for a given client. */
const targetFor = (action: Policy.Action, client: typeof assigned | typeof unassigned | typeof foreign, env: "live" | "test" = "live"): Policy.Target => {
  if (action === "partner.provision") return Policy.platformTarget
  if (action.startsWith("team.") || action === "partner.edit" || action === "client.provision" || action === "audit.view") {
    return Policy.partnerOrgTarget({ id: client.partnerOrgId, status: "active" })
  }
  return Policy.clientTarget(client, environmental(action) ? env : null)
}

describe("the permission matrix, row by row", () => {
  for (const action of Policy.actions) {
    it(`${action} is granted exactly as SPEC section 4 says`, () => {
      const row = spec[action]
      columns.forEach((column, i) => {
        const cell = row[i]
        for (const principal of principals[column]) {
          const decide = (target: Policy.Target) => Policy.authorize(principal, action, target)
          const home = decide(targetFor(action, assigned))
          expect({ column, cell, home }).toEqual({ column, cell, home: cell === "no" ? home : "Allow" })
          if (cell === "no") expect({ column, home }).not.toEqual({ column, home: "Allow" })
          if (cell === "assigned") expect(decide(targetFor(action, unassigned))).toBe("NotFound")
          if (cell === "own" || cell === "env") expect(decide(targetFor(action, foreign))).toBe("NotFound")
          if (cell === "env") expect(decide(targetFor(action, assigned, "test"))).toBe("NotFound")
          if (cell === "boot") {
            expect(decide(Policy.partnerOrgTarget({ id: org1, status: "provisioning" }))).toBe("NotFound")
          }
          if (column === "partner_admin" || column === "partner_user") {
            expect(decide(targetFor(action, foreign))).toBe("NotFound")
          }
        }
      })
    })
  }

  it("covers every action of the library", () => {
    expect(Object.keys(spec).sort()).toEqual([...Policy.actions].sort())
  })

  it("answers Forbidden, not NotFound, when the target is visible but the role lacks the action", () => {
    const [reader] = principals.key_read
    const [partnerUser] = principals.partner_user
    expect(reader && Policy.authorize(reader, "project.edit", targetFor("project.edit", assigned))).toBe("Forbidden")
    expect(partnerUser && Policy.authorize(partnerUser, "apikey.create", targetFor("apikey.create", assigned))).toBe("Forbidden")
  })
})
