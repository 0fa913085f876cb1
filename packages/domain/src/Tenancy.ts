import { Schema } from "effect"
import { ClientId, PartnerOrgId, UserId } from "./Ids.js"
import * as Text from "./Text.js"

/** Every project, campaign and API key lives in exactly one data environment. */
export const DataEnvironment = Schema.Literal("live", "test")
export type DataEnvironment = typeof DataEnvironment.Type

/** `provisioning` until the organisation's first partner_admin exists ("bootstrap complete"). */
export const PartnerOrgStatus = Schema.Literal("provisioning", "active")
export type PartnerOrgStatus = typeof PartnerOrgStatus.Type

export const ClientStatus = Schema.Literal("active", "archived")
export type ClientStatus = typeof ClientStatus.Type

/** Zones already found valid: building an `Intl.DateTimeFormat` costs ~150 µs, and the set of real zones is small. */
const validZones = new Set<string>()

const isIanaZone = (zone: string): boolean => {
  if (validZones.has(zone)) return true
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone })
    const valid = zone.length > 0 && zone.trim() === zone
    if (valid) validZones.add(zone)
    return valid
  } catch {
    return false
  }
}

/** An IANA time zone name such as `Australia/Sydney`. */
export const Timezone = Schema.String.pipe(
  Schema.filter(isIanaZone, { message: () => "must be an IANA time zone such as Australia/Sydney" }),
  Schema.brand("Timezone")
)
export type Timezone = typeof Timezone.Type

/** A display name: one line of text (`Text.Line`), trimmed, 1 to 200 characters. */
export const DisplayName = Text.TrimmedLine.pipe(Schema.minLength(1), Schema.maxLength(200))

/** A partner organisation's description: text that may span lines (`Text.Paragraph`), at most 2000 characters. */
export const Description = Text.Paragraph.pipe(Schema.maxLength(2000))

export class PartnerOrg extends Schema.Class<PartnerOrg>("PartnerOrg")({
  id: PartnerOrgId,
  name: DisplayName,
  description: Schema.String,
  status: PartnerOrgStatus,
  createdAt: Schema.DateFromSelf
}) {}

export class Client extends Schema.Class<Client>("Client")({
  id: ClientId,
  /** The managing partner organisation; `null` for a direct AiDial customer. */
  partnerOrgId: Schema.NullOr(PartnerOrgId),
  name: DisplayName,
  status: ClientStatus,
  createdAt: Schema.DateFromSelf
}) {}

/** A partner_user sees a client only through an assignment. */
export class Assignment extends Schema.Class<Assignment>("Assignment")({
  userId: UserId,
  clientId: ClientId,
  createdAt: Schema.DateFromSelf
}) {}
