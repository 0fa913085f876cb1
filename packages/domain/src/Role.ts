import { Schema } from "effect"
import { ClientId, PartnerOrgId, UserId } from "./Ids.js"

/** AiDial staff. */
export const PlatformRole = Schema.Literal("aidial_admin", "aidial_operator")
export type PlatformRole = typeof PlatformRole.Type

/** Members of a partner (reseller) organisation. */
export const PartnerRole = Schema.Literal("partner_admin", "partner_user")
export type PartnerRole = typeof PartnerRole.Type

/** Users of a single client organisation. */
export const CustomerRole = Schema.Literal("customer_admin", "customer_user")
export type CustomerRole = typeof CustomerRole.Type

export const Role = Schema.Literal(...PlatformRole.literals, ...PartnerRole.literals, ...CustomerRole.literals)
export type Role = typeof Role.Type

export class PlatformMembership extends Schema.TaggedClass<PlatformMembership>()("PlatformMembership", {
  userId: UserId,
  role: PlatformRole
}) {}

export class PartnerMembership extends Schema.TaggedClass<PartnerMembership>()("PartnerMembership", {
  userId: UserId,
  partnerOrgId: PartnerOrgId,
  role: PartnerRole
}) {}

export class CustomerMembership extends Schema.TaggedClass<CustomerMembership>()("CustomerMembership", {
  userId: UserId,
  clientId: ClientId,
  role: CustomerRole
}) {}

/** What a user is to AiDial: a user holds at most one membership. */
export const Membership = Schema.Union(PlatformMembership, PartnerMembership, CustomerMembership)
export type Membership = typeof Membership.Type
