import { Schema } from "effect"

/** The characters every id may use: letters, digits, `_` and `-`, at most 64. */
export const pattern = /^[A-Za-z0-9_-]{1,64}$/

/** A string shaped like an id (see `pattern`), before it is branded. */
export const IdString = Schema.String.pipe(Schema.pattern(pattern))

export const PartnerOrgId = IdString.pipe(Schema.brand("PartnerOrgId"))
export type PartnerOrgId = typeof PartnerOrgId.Type

export const ClientId = IdString.pipe(Schema.brand("ClientId"))
export type ClientId = typeof ClientId.Type

export const ProjectId = IdString.pipe(Schema.brand("ProjectId"))
export type ProjectId = typeof ProjectId.Type

export const UserId = IdString.pipe(Schema.brand("UserId"))
export type UserId = typeof UserId.Type

export const ApiKeyId = IdString.pipe(Schema.brand("ApiKeyId"))
export type ApiKeyId = typeof ApiKeyId.Type

/** The prefix each kind of id carries, so a stray id is recognisable in a log line. */
export const prefixes = {
  partnerOrg: "org",
  client: "cli",
  project: "prj",
  user: "usr",
  apiKey: "key",
  invitation: "inv",
  auditEvent: "evt",
  outbox: "obx",
  request: "req"
} as const
export type IdKind = keyof typeof prefixes
