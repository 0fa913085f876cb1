/**
 * The rule modules' errors and entities cross schema boundaries (storage rows, the wire) intact:
 * each value encodes and decodes back to itself, every field and literal included.
 */
import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as ApiKey from "../src/ApiKey.js"
import * as Ids from "../src/Ids.js"
import * as Policy from "../src/Policy.js"
import * as Team from "../src/Team.js"
import { Email } from "../src/User.js"

const at = new Date("2026-02-03T04:05:06.007Z")
const keyId = Ids.ApiKeyId.make("key_0123456789abcdef")
const invitationId = Team.InvitationId.make("inv_1")
const userId = Ids.UserId.make("usr_1")
const email = Email.make("ann@example.com")

const roundTrip = <A, I>(schema: Schema.Schema<A, I>, value: A) =>
  expect(Schema.decodeUnknownSync(schema)(Schema.encodeSync(schema)(value))).toEqual(value)

/** Builds the error, checks it holds every field given, and round-trips it. */
const keeps = <A, I, F extends object>(schema: Schema.Schema<A, I> & (new(fields: F) => A), fields: F) => {
  const value = new schema(fields)
  expect(value).toMatchObject(fields)
  roundTrip(schema, value)
}

const key = (status: ApiKey.Status) => ({
    id: keyId,
    clientId: Ids.ClientId.make("cli_1"),
    name: "CRM sync",
    description: "nightly",
    scope: "read",
    environment: "live",
    prefix: "adk_live_0123456789abcdef",
    status,
    createdAt: at,
    createdBy: { kind: "user", id: "usr_1" },
    expiresAt: null,
    rotatedFrom: null,
    rotatedTo: status === "rotated" ? keyId : null,
    disabledAt: status === "active" ? null : at,
    revokeReason: status === "revoked" ? "leaked" : null
  }) satisfies ConstructorParameters<typeof ApiKey.ApiKey>[0]

describe("schema round trips", () => {
  it("keeps every field of every error", () => {
    keeps(Policy.NotFound, { resource: "client" })
    keeps(Policy.Forbidden, { action: "client.edit" })
    keeps(ApiKey.InvalidApiKey, { throttledForSeconds: 5 })
    keeps(ApiKey.ApiKeyConflict, { keyId, status: "rotated" })
    for (const bucket of ["minute", "hour", "day"] as const) {
      keeps(ApiKey.InvalidUsageRange, { bucket, maxDays: 7 })
    }
    keeps(ApiKey.InvalidExpiry, { message: "the expiry must be in the future" })
    keeps(Team.InvitationAlreadyAccepted, { invitationId })
    keeps(Team.InvitationRevoked, { invitationId })
    keeps(Team.InvitationExpired, { invitationId, expiredAt: at })
    keeps(Team.InvitationEmailMismatch, { invitationId })
    keeps(Team.EmailNotVerified, { userId })
    keeps(Team.AlreadyMember, { email })
    keeps(Team.AlreadyInvited, { email, invitationId })
    keeps(Team.LastPartnerAdmin, { partnerOrgId: Ids.PartnerOrgId.make("org_1"), userId })
    keeps(Team.UnknownUser, { userId })
    keeps(Team.RoleAboveOwn, { role: "partner_admin" })
  })

  it("keeps a key in every stored status, and its metadata in every state", () => {
    for (const status of ["active", "rotated", "revoked"] as const) keeps(ApiKey.ApiKey, key(status))
    for (const state of ["active", "expired", "rotated", "revoked"] as const) {
      keeps(ApiKey.Metadata, { ...key("active"), state, lastUsedAt: at })
    }
  })

  it("keeps an invitation with its token digest", () => {
    keeps(
      Team.Invitation,
      {
        id: invitationId,
        partnerOrgId: Ids.PartnerOrgId.make("org_1"),
        email,
        role: "partner_user",
        message: "Welcome",
        tokenDigest: { version: 1, hex: "ab".repeat(32) },
        invitedBy: userId,
        createdAt: at,
        expiresAt: at,
        status: "pending",
        acceptedBy: null,
        closedAt: null
      }
    )
  })
})
