import { Data } from "effect"
import type { ApiKeyId, ClientId, PartnerOrgId, UserId } from "./Ids.js"
import type { CustomerRole, PartnerRole, PlatformRole } from "./Role.js"
import type { DataEnvironment, PartnerOrgStatus } from "./Tenancy.js"

/** An API key's permission level: `read` acts as partner_user, `manage` as partner_admin. */
export type KeyScope = "read" | "manage"

/** Who a request acts as: exactly one of these, resolved by authentication from storage. */
export type Principal = Data.TaggedEnum<{
  /** AiDial staff; client-scoped actions need `selectedClientId`. */
  PlatformUser: {
    readonly userId: UserId
    readonly role: PlatformRole
    readonly selectedClientId: ClientId | null
  }
  /** A partner member; `assignedClientIds` matters for partner_user only. */
  PartnerUser: {
    readonly userId: UserId
    readonly role: PartnerRole
    readonly partnerOrgId: PartnerOrgId
    readonly partnerOrgStatus: PartnerOrgStatus
    readonly assignedClientIds: ReadonlySet<ClientId>
  }
  CustomerUser: {
    readonly userId: UserId
    readonly role: CustomerRole
    readonly clientId: ClientId
  }
  /** A verified API key: one client, one environment. */
  ApiKey: {
    readonly keyId: ApiKeyId
    readonly clientId: ClientId
    readonly environment: DataEnvironment
    readonly scope: KeyScope
  }
  /** A signed-in user with no membership yet (for example, before accepting an invitation). */
  Unaffiliated: {
    readonly userId: UserId
  }
}>

export const Principal = Data.taggedEnum<Principal>()
export const { PlatformUser, PartnerUser, CustomerUser, ApiKey, Unaffiliated } = Principal

/** The principal of a signed-in user: every kind of principal except an API key. */
export type UserPrincipal = Exclude<Principal, { readonly _tag: "ApiKey" }>
