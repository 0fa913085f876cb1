import { Either } from "effect"
import { describe, expect, it } from "vitest"
import * as Ids from "../src/Ids.js"
import * as Principal from "../src/Principal.js"
import { PartnerMembership } from "../src/Role.js"
import * as Team from "../src/Team.js"
import { PartnerOrg } from "../src/Tenancy.js"
import { Email, User } from "../src/User.js"

const at = new Date("2026-01-01T00:00:00.000Z")
const orgId = Ids.PartnerOrgId.make("org_rules")
const org = (status: "active" | "provisioning") =>
  new PartnerOrg({ id: orgId, name: "Rules", description: "", status, createdAt: at })
const user = Ids.UserId.make
const admin = (id: string) => new PartnerMembership({ userId: user(id), partnerOrgId: orgId, role: "partner_admin" })
const member = (id: string) => new PartnerMembership({ userId: user(id), partnerOrgId: orgId, role: "partner_user" })

const refused = (result: Either.Either<void, Team.LastPartnerAdmin>) =>
  Either.match(result, { onLeft: (e) => e._tag, onRight: () => "ok" })

describe("the last-admin rule", () => {
  const team = [admin("usr_a"), member("usr_u")]

  it("refuses to demote or remove the only partner_admin of an active organisation", () => {
    expect(refused(Team.checkLastAdmin(org("active"), team, user("usr_a"), "partner_user"))).toBe("LastPartnerAdmin")
    expect(refused(Team.checkLastAdmin(org("active"), team, user("usr_a"), null))).toBe("LastPartnerAdmin")
    expect(Team.checkLastAdmin(org("active"), team, user("usr_a"), null)).toEqual(
      Either.left(new Team.LastPartnerAdmin({ partnerOrgId: orgId, userId: user("usr_a") }))
    )
  })

  it("allows it while another partner_admin remains, or while the organisation is still provisioning", () => {
    expect(refused(Team.checkLastAdmin(org("active"), [...team, admin("usr_b")], user("usr_a"), null))).toBe("ok")
    expect(refused(Team.checkLastAdmin(org("provisioning"), team, user("usr_a"), "partner_user"))).toBe("ok")
    expect(refused(Team.checkLastAdmin(org("provisioning"), team, user("usr_a"), null))).toBe("ok")
  })

  it("allows keeping the only admin an admin, and any change to someone who is not an admin", () => {
    expect(refused(Team.checkLastAdmin(org("active"), team, user("usr_a"), "partner_admin"))).toBe("ok")
    expect(refused(Team.checkLastAdmin(org("active"), team, user("usr_u"), null))).toBe("ok")
    expect(refused(Team.checkLastAdmin(org("active"), team, user("usr_u"), "partner_admin"))).toBe("ok")
    expect(refused(Team.checkLastAdmin(org("active"), [member("usr_u"), member("usr_v")], user("usr_u"), null))).toBe("ok")
    expect(refused(Team.checkLastAdmin(org("active"), team, user("usr_nobody"), null))).toBe("ok")
  })
})

describe("granting roles", () => {
  const platform = (role: "aidial_admin" | "aidial_operator") =>
    Principal.PlatformUser({ userId: user("usr_p"), role, selectedClientId: null })
  const partner = (role: "partner_admin" | "partner_user") =>
    Principal.PartnerUser({ userId: user("usr_q"), role, partnerOrgId: orgId, partnerOrgStatus: "active", assignedClientIds: new Set() })

  it("lets a platform admin grant any partner role, an operator none", () => {
    expect(Team.mayGrant(platform("aidial_admin"), "partner_admin")).toBe(true)
    expect(Team.mayGrant(platform("aidial_admin"), "partner_user")).toBe(true)
    expect(Team.mayGrant(platform("aidial_operator"), "partner_user")).toBe(false)
  })

  it("lets partner members grant up to their own role, and nobody else grant anything", () => {
    expect(Team.mayGrant(partner("partner_admin"), "partner_admin")).toBe(true)
    expect(Team.mayGrant(partner("partner_admin"), "partner_user")).toBe(true)
    expect(Team.mayGrant(partner("partner_user"), "partner_user")).toBe(true)
    expect(Team.mayGrant(partner("partner_user"), "partner_admin")).toBe(false)
    expect(Team.mayGrant(Principal.CustomerUser({ userId: user("usr_c"), role: "customer_admin", clientId: Ids.ClientId.make("cli_c") }), "partner_user"))
      .toBe(false)
    expect(Team.checkGrant(partner("partner_user"), "partner_admin")).toEqual(Either.left(new Team.RoleAboveOwn({ role: "partner_admin" })))
    expect(Team.checkGrant(partner("partner_admin"), "partner_admin")).toEqual(Either.void)
  })
})

describe("invitations", () => {
  const email = Email.make("ann@example.com")
  const invitation = (overrides: Partial<ConstructorParameters<typeof Team.Invitation>[0]> = {}) =>
    new Team.Invitation({
      id: Team.InvitationId.make("inv_1"),
      partnerOrgId: orgId,
      email,
      role: "partner_user",
      message: null,
      tokenDigest: { version: 1, hex: "ab" },
      invitedBy: null,
      createdAt: at,
      expiresAt: new Date(at.getTime() + 1000),
      status: "pending",
      acceptedBy: null,
      closedAt: null,
      ...overrides
    })
  const ann = (overrides: Partial<ConstructorParameters<typeof User>[0]> = {}) =>
    new User({ id: user("usr_ann"), subject: "sub-ann", email, emailVerified: true, displayName: "Ann", createdAt: at, ...overrides })
  const tag = (result: Either.Either<void, { readonly _tag: string }>) => Either.match(result, { onLeft: (e) => e._tag, onRight: () => "ok" })

  it("expires at its expiry instant, not a millisecond later", () => {
    const expiresAt = new Date(at.getTime() + 1000)
    expect(Team.stateAt(invitation(), new Date(expiresAt.getTime() - 1))).toBe("pending")
    expect(Team.stateAt(invitation(), expiresAt)).toBe("expired")
    expect(Team.stateAt(invitation({ status: "accepted" }), expiresAt)).toBe("accepted")
    expect(Team.isLive(invitation(), at)).toBe(true)
    expect(Team.isLive(invitation(), expiresAt)).toBe(false)
  })

  it("is accepted only while pending and unexpired, by a verified user with the invited email", () => {
    expect(tag(Team.canAccept(invitation(), ann(), at))).toBe("ok")
    expect(tag(Team.canAccept(invitation({ status: "accepted" }), ann(), at))).toBe("InvitationAlreadyAccepted")
    expect(tag(Team.canAccept(invitation({ status: "revoked" }), ann(), at))).toBe("InvitationRevoked")
    expect(Team.canAccept(invitation(), ann(), new Date(at.getTime() + 1000))).toEqual(
      Either.left(new Team.InvitationExpired({ invitationId: Team.InvitationId.make("inv_1"), expiredAt: new Date(at.getTime() + 1000) }))
    )
    expect(tag(Team.canAccept(invitation(), ann({ emailVerified: false }), at))).toBe("EmailNotVerified")
    expect(tag(Team.canAccept(invitation(), ann({ email: Email.make("bob@example.com") }), at))).toBe("InvitationEmailMismatch")
  })

  it("refuses to resend or revoke a closed invitation", () => {
    expect(tag(Team.refuseClosed(invitation()))).toBe("ok")
    expect(tag(Team.refuseClosed(invitation({ status: "accepted" })))).toBe("InvitationAlreadyAccepted")
    expect(tag(Team.refuseClosed(invitation({ status: "revoked" })))).toBe("InvitationRevoked")
  })

  it("reads an acceptance code as id, a dot and a base64url token of at least 22 characters", () => {
    const token = "A".repeat(21) + "_-z9"
    expect(Team.parseCode(Team.makeCode(Team.InvitationId.make("inv_1"), token))).toEqual({ id: "inv_1", token })
    expect(Team.parseCode(`inv_1.${"A".repeat(22)}`)).toEqual({ id: "inv_1", token: "A".repeat(22) })
    expect(Team.parseCode(`inv_1.${"A".repeat(21)}`)).toBeNull()
    expect(Team.parseCode(`.${"A".repeat(22)}`)).toBeNull()
    expect(Team.parseCode("A".repeat(30))).toBeNull()
    expect(Team.parseCode(`inv 1.${"A".repeat(22)}`)).toBeNull()
    expect(Team.parseCode(`inv_1.${"A".repeat(22)}=`)).toBeNull()
    expect(Team.parseCode(`inv_1.x${"A".repeat(22)}.y`)).toBeNull()
    expect(Team.parseCode(`inv_1.+${"A".repeat(22)}`)).toBeNull()
  })

  it("appends the code to the acceptance page as its code parameter", () => {
    expect(Team.acceptLink("https://p.example/accept", "inv_1.t+k")).toBe("https://p.example/accept?code=inv_1.t%2Bk")
    expect(Team.acceptLink("https://p.example/accept?lang=de", "inv_1.tk")).toBe("https://p.example/accept?lang=de&code=inv_1.tk")
  })
})
