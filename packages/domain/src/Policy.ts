import { Schema } from "effect"
import type { ClientId, PartnerOrgId } from "./Ids.js"
import type { Principal } from "./Principal.js"
import type { ClientStatus, DataEnvironment, PartnerOrgStatus } from "./Tenancy.js"

/** A grantee is a column of the permission matrix. */
export type Grantee =
  | "aidial_admin"
  | "aidial_operator"
  | "partner_admin"
  | "partner_user"
  | "customer"
  | "key_manage"
  | "key_read"

const Y = true
const N = false

/**
 * The permission matrix (SPEC section 4): whether a role holds an action at all.
 * Scope (which partner org, client or environment) is decided by `inScope`.
 *
 * | action | aidial_admin | aidial_operator | partner_admin | partner_user | customer | key_manage | key_read |
 */
export const matrix = {
  "team.view": { aidial_admin: Y, aidial_operator: Y, partner_admin: Y, partner_user: Y, customer: N, key_manage: N, key_read: N },
  "team.manage": { aidial_admin: Y, aidial_operator: N, partner_admin: Y, partner_user: N, customer: N, key_manage: N, key_read: N },
  "partner.provision": { aidial_admin: Y, aidial_operator: N, partner_admin: N, partner_user: N, customer: N, key_manage: N, key_read: N },
  "partner.edit": { aidial_admin: Y, aidial_operator: N, partner_admin: Y, partner_user: N, customer: N, key_manage: N, key_read: N },
  "client.view": { aidial_admin: Y, aidial_operator: Y, partner_admin: Y, partner_user: Y, customer: Y, key_manage: Y, key_read: Y },
  "client.provision": { aidial_admin: Y, aidial_operator: N, partner_admin: Y, partner_user: N, customer: N, key_manage: N, key_read: N },
  "client.edit": { aidial_admin: Y, aidial_operator: N, partner_admin: Y, partner_user: N, customer: N, key_manage: N, key_read: N },
  "client.assign": { aidial_admin: Y, aidial_operator: N, partner_admin: Y, partner_user: N, customer: N, key_manage: N, key_read: N },
  "client.archive": { aidial_admin: Y, aidial_operator: N, partner_admin: Y, partner_user: N, customer: N, key_manage: N, key_read: N },
  "project.view": { aidial_admin: Y, aidial_operator: Y, partner_admin: Y, partner_user: Y, customer: Y, key_manage: Y, key_read: Y },
  "project.edit": { aidial_admin: Y, aidial_operator: N, partner_admin: Y, partner_user: N, customer: N, key_manage: Y, key_read: N },
  "project.publish": { aidial_admin: Y, aidial_operator: N, partner_admin: Y, partner_user: N, customer: N, key_manage: Y, key_read: N },
  "project.restore": { aidial_admin: Y, aidial_operator: N, partner_admin: Y, partner_user: N, customer: N, key_manage: Y, key_read: N },
  "entitlement.view": { aidial_admin: Y, aidial_operator: Y, partner_admin: Y, partner_user: Y, customer: Y, key_manage: N, key_read: N },
  "entitlement.manage": { aidial_admin: Y, aidial_operator: N, partner_admin: N, partner_user: N, customer: N, key_manage: N, key_read: N },
  "campaign.view": { aidial_admin: Y, aidial_operator: Y, partner_admin: Y, partner_user: Y, customer: Y, key_manage: Y, key_read: Y },
  "campaign.manage": { aidial_admin: Y, aidial_operator: N, partner_admin: Y, partner_user: N, customer: N, key_manage: Y, key_read: N },
  "apikey.view": { aidial_admin: Y, aidial_operator: Y, partner_admin: Y, partner_user: Y, customer: N, key_manage: Y, key_read: Y },
  "apikey.create": { aidial_admin: Y, aidial_operator: N, partner_admin: Y, partner_user: N, customer: N, key_manage: N, key_read: N },
  "apikey.rotate": { aidial_admin: Y, aidial_operator: N, partner_admin: Y, partner_user: N, customer: N, key_manage: N, key_read: N },
  "apikey.revoke": { aidial_admin: Y, aidial_operator: N, partner_admin: Y, partner_user: N, customer: N, key_manage: N, key_read: N },
  "integration.view": { aidial_admin: Y, aidial_operator: Y, partner_admin: Y, partner_user: Y, customer: N, key_manage: Y, key_read: Y },
  "integration.manage": { aidial_admin: Y, aidial_operator: N, partner_admin: Y, partner_user: N, customer: N, key_manage: Y, key_read: N },
  "capacity.view": { aidial_admin: Y, aidial_operator: Y, partner_admin: Y, partner_user: Y, customer: Y, key_manage: Y, key_read: Y },
  "audit.view": { aidial_admin: Y, aidial_operator: Y, partner_admin: Y, partner_user: N, customer: N, key_manage: N, key_read: N }
} as const satisfies Record<string, Record<Grantee, boolean>>

export type Action = keyof typeof matrix
export const actions: ReadonlyArray<Action> = Object.keys(matrix).filter((a): a is Action => a in matrix)
export const Action = Schema.Literal(...actions)

/** Every action but the `.view` ones changes something. */
export const isMutation = (action: Action): boolean => !action.endsWith(".view")

/** Platform roles act on a client's contents only with that client explicitly selected; these actions are exempt. */
const selectionExempt: ReadonlySet<Action> = new Set<Action>(["client.view"])

/** What an action is aimed at, with the facts the scope rules need. */
export type Target =
  | { readonly _tag: "Platform" }
  | { readonly _tag: "PartnerOrg"; readonly partnerOrgId: PartnerOrgId; readonly status: PartnerOrgStatus }
  | {
    readonly _tag: "Client"
    readonly clientId: ClientId
    readonly partnerOrgId: PartnerOrgId | null
    readonly status: ClientStatus
    /** Set for resources that live in one environment (projects, campaigns). */
    readonly environment: DataEnvironment | null
  }

export const platformTarget: Target = { _tag: "Platform" }

export const partnerOrgTarget = (org: { readonly id: PartnerOrgId; readonly status: PartnerOrgStatus }): Target => ({
  _tag: "PartnerOrg",
  partnerOrgId: org.id,
  status: org.status
})

export const clientTarget = (
  client: { readonly id: ClientId; readonly partnerOrgId: PartnerOrgId | null; readonly status: ClientStatus },
  environment: DataEnvironment | null = null
): Target => ({ _tag: "Client", clientId: client.id, partnerOrgId: client.partnerOrgId, status: client.status, environment })

/** `Forbidden` only ever answers for a target the principal can see; anything else is `NotFound`. */
export type Decision = "Allow" | "Forbidden" | "NotFound"

/** The matrix column a principal reads. */
export const grantee = (principal: Principal): Grantee | null => {
  switch (principal._tag) {
    case "PlatformUser":
    case "PartnerUser":
      return principal.role
    case "CustomerUser":
      return "customer"
    case "ApiKey":
      return principal.scope === "manage" ? "key_manage" : "key_read"
    case "Unaffiliated":
      return null
  }
}

const partnerSees = (principal: Principal & { readonly _tag: "PartnerUser" }, target: Target): boolean => {
  switch (target._tag) {
    case "Platform":
      return false
    case "PartnerOrg":
      return target.partnerOrgId === principal.partnerOrgId &&
        (principal.role === "partner_admin" || target.status === "active")
    case "Client":
      return target.partnerOrgId === principal.partnerOrgId &&
        (principal.role === "partner_admin" || principal.assignedClientIds.has(target.clientId))
  }
}

/** Whether the principal may know that the target exists at all. */
export const inScope = (principal: Principal, action: Action, target: Target): boolean => {
  switch (principal._tag) {
    case "PlatformUser":
      return target._tag !== "Client" || selectionExempt.has(action) || principal.selectedClientId === target.clientId
    case "PartnerUser":
      return partnerSees(principal, target)
    case "CustomerUser":
      return target._tag === "Client" && target.clientId === principal.clientId
    case "ApiKey":
      return target._tag === "Client" && target.clientId === principal.clientId &&
        (target.environment === null || target.environment === principal.environment)
    case "Unaffiliated":
      return false
  }
}

/**
 * The one authorization decision: out of scope, or a write to an archived client, is `NotFound`
 * (indistinguishable from missing); in scope without the grant is `Forbidden`.
 */
export const authorize = (principal: Principal, action: Action, target: Target): Decision => {
  if (!inScope(principal, action, target)) return "NotFound"
  if (target._tag === "Client" && target.status === "archived" && isMutation(action)) return "NotFound"
  const column = grantee(principal)
  return column !== null && matrix[action][column] ? "Allow" : "Forbidden"
}

/** The decision as a boolean, for filters. */
export const isAllowed = (principal: Principal, action: Action, target: Target): boolean =>
  authorize(principal, action, target) === "Allow"

/** The resource is missing or out of the caller's scope: the two are never told apart. */
export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", {
  resource: Schema.String
}) {}

/** The caller can see the resource but its role does not hold the action. */
export class Forbidden extends Schema.TaggedError<Forbidden>()("Forbidden", {
  action: Action
}) {}
