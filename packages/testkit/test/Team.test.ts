import { describe, expect, it } from "@effect/vitest"
import {
  AssignmentRepo,
  AuditLog,
  Clients,
  Ids,
  InvitationRepo,
  MemberActivity,
  MembershipRepo,
  Outbox,
  PartnerOrgRepo,
  PartnerOrgs,
  type Principal,
  StorageError,
  Team,
  Teams
} from "@aidial/domain"
import { Deferred, Duration, Effect, Either, Encoding, Exit, Option, Redacted } from "effect"
import { TestClock } from "../src/TestClock.js"
import {
  addUser,
  bootstrap,
  codeOf,
  email,
  join,
  layer,
  platformUser,
  principalOf,
  refusedUnchanged,
  snapshot
} from "./support/Fixture.js"

const all = { after: null, limit: 1000 }
const week = Duration.toMillis(Duration.days(7))

describe("inviting", () => {
  it.effect("stores a pending invitation with a normalised email, a 7-day expiry and only a digest of the token", () =>
    Effect.gen(function*() {
      const { org, admin } = yield* bootstrap()
      const issued = yield* Teams.invite(admin.principal, org.id, {
        email: email("  Ann.Smith@Example.COM "),
        role: "partner_user",
        message: "Welcome aboard"
      })
      const stored = Option.getOrThrow(yield* (yield* InvitationRepo.InvitationRepo).get(issued.invitation.id))
      expect(stored.email).toBe("ann.smith@example.com")
      expect(stored.status).toBe("pending")
      expect(stored.message).toBe("Welcome aboard")
      expect(stored.invitedBy).toBe(admin.user.id)
      expect(stored.expiresAt.getTime() - stored.createdAt.getTime()).toBe(week)
      const code = Redacted.value(codeOf(issued))
      const token = code.slice(code.indexOf(".") + 1)
      expect(code.startsWith(`${stored.id}.`)).toBe(true)
      expect(Either.getOrThrow(Encoding.decodeBase64Url(token)).length * 8).toBeGreaterThanOrEqual(128)
      expect(JSON.stringify(stored)).not.toContain(token)
      expect(String(issued.link)).toBe("<redacted>")
    }).pipe(Effect.provide(layer())))

  it.effect("writes an outbox message carrying the link, and an audit event without any secret", () =>
    Effect.gen(function*() {
      const { org, admin } = yield* bootstrap()
      const before = (yield* (yield* Outbox.Outbox).pending(100)).length
      const issued = yield* Teams.invite(admin.principal, org.id, { email: email("ann@example.com"), role: "partner_user", message: null })
      const messages = yield* (yield* Outbox.Outbox).pending(100)
      expect(messages.length).toBe(before + 1)
      const mail = messages[messages.length - 1]
      expect(mail?.topic).toBe(Outbox.invitationTopic)
      expect(mail?.recipient).toBe("ann@example.com")
      expect(mail && Redacted.value(mail.payload)["link"]).toBe(Redacted.value(issued.link))
      const events = (yield* (yield* AuditLog.AuditLog).query({ action: "team.invite" }, all)).items
      const event = events.find((e) => e.targetId === issued.invitation.id)
      expect(event).toMatchObject({
        actor: { kind: "user", id: admin.user.id },
        partnerOrgId: org.id,
        outcome: "success",
        requestId: "req_test",
        targetType: "invitation"
      })
      const token = Redacted.value(codeOf(issued)).split(".")[1] ?? "missing"
      expect(JSON.stringify(events)).not.toContain(token)
      expect(JSON.stringify(events)).not.toContain("code=")
    }).pipe(Effect.provide(layer())))

  it.effect("stores neither invitation nor mail nor audit event when the outbox append fails", () =>
    Effect.gen(function*() {
      const { org, admin } = yield* bootstrap()
      const failing = Outbox.Outbox.of({
        append: () => Effect.fail(new StorageError.StorageError({ message: "outbox down" })),
        pending: () => Effect.succeed([]),
        acknowledge: () => Effect.void
      })
      const before = yield* snapshot
      const error = yield* Effect.flip(
        Teams.invite(admin.principal, org.id, { email: email("ann@example.com"), role: "partner_user", message: null })
          .pipe(Effect.provideService(Outbox.Outbox, failing))
      )
      expect(error._tag).toBe("StorageError")
      expect(yield* snapshot).toEqual(before)
    }).pipe(Effect.provide(layer())))

  it.effect("refuses a second live invitation to the same email, in any case, as AlreadyInvited", () =>
    Effect.gen(function*() {
      const { org, admin } = yield* bootstrap()
      yield* Teams.invite(admin.principal, org.id, { email: email("ann@example.com"), role: "partner_user", message: null })
      yield* refusedUnchanged(
        Teams.invite(admin.principal, org.id, { email: email("ANN@example.com"), role: "partner_admin", message: null }),
        "AlreadyInvited"
      )
    }).pipe(Effect.provide(layer())))

  it.effect("refuses to invite an email that is already a member as AlreadyMember", () =>
    Effect.gen(function*() {
      const { org, admin } = yield* bootstrap()
      yield* join(admin.principal, org.id, "bob@example.com", "partner_user")
      yield* refusedUnchanged(
        Teams.invite(admin.principal, org.id, { email: email("Bob@Example.com"), role: "partner_user", message: null }),
        "AlreadyMember"
      )
    }).pipe(Effect.provide(layer())))

  it.effect("voids an expired pending invitation when the same email is invited again", () =>
    Effect.gen(function*() {
      const { org, admin } = yield* bootstrap()
      const first = yield* Teams.invite(admin.principal, org.id, { email: email("ann@example.com"), role: "partner_user", message: null })
      yield* (yield* TestClock).advance(week + 1)
      const second = yield* Teams.invite(admin.principal, org.id, { email: email("ann@example.com"), role: "partner_user", message: null })
      const repo = yield* InvitationRepo.InvitationRepo
      expect(Option.map(yield* repo.get(first.invitation.id), (i) => i.status)).toEqual(Option.some("revoked"))
      expect(Option.map(yield* repo.findPending(org.id, email("ann@example.com")), (i) => i.id)).toEqual(
        Option.some(second.invitation.id)
      )
    }).pipe(Effect.provide(layer())))

  it.effect("lets a platform admin invite either role; an operator and a partner_user may not invite", () =>
    Effect.gen(function*() {
      const { org, admin, platform } = yield* bootstrap()
      yield* Teams.invite(platform, org.id, { email: email("a2@example.com"), role: "partner_admin", message: null })
      yield* Teams.invite(platform, org.id, { email: email("u2@example.com"), role: "partner_user", message: null })
      const operator = yield* platformUser("aidial_operator")
      const member = yield* join(admin.principal, org.id, "pu@example.com", "partner_user")
      const input = { email: email("x@example.com"), role: "partner_user" as const, message: null }
      yield* refusedUnchanged(Teams.invite(operator, org.id, input), "Forbidden")
      yield* refusedUnchanged(Teams.invite(member.principal, org.id, input), "Forbidden")
    }).pipe(Effect.provide(layer())))

  it.effect("hides another organisation's team: NotFound for its members, invitations and invites", () =>
    Effect.gen(function*() {
      const a = yield* bootstrap("Org A")
      const b = yield* bootstrap("Org B")
      yield* refusedUnchanged(Teams.listMembers(b.admin.principal, a.org.id), "NotFound")
      yield* refusedUnchanged(Teams.listInvitations(b.admin.principal, a.org.id, {}, all), "NotFound")
      yield* refusedUnchanged(
        Teams.invite(b.admin.principal, a.org.id, { email: email("x@example.com"), role: "partner_user", message: null }),
        "NotFound"
      )
      const pending = yield* Teams.invite(a.admin.principal, a.org.id, { email: email("y@example.com"), role: "partner_user", message: null })
      const outOfScope = yield* refusedUnchanged(Teams.revokeInvitation(b.admin.principal, a.org.id, pending.invitation.id), "NotFound")
      const missing = yield* Effect.flip(Teams.revokeInvitation(b.admin.principal, a.org.id, Team.InvitationId.make("inv_nope")))
      expect(outOfScope).toEqual(missing)
      const underOwnOrg = yield* refusedUnchanged(Teams.revokeInvitation(b.admin.principal, b.org.id, pending.invitation.id), "NotFound")
      expect(underOwnOrg).toEqual(missing)
      yield* refusedUnchanged(Teams.resend(b.admin.principal, b.org.id, pending.invitation.id), "NotFound")
      yield* refusedUnchanged(Teams.resend(a.admin.principal, b.org.id, pending.invitation.id), "NotFound")
    }).pipe(Effect.provide(layer())))
})

describe("role ordering", () => {
  it.effect("never lets anyone grant a role above their own", () =>
    Effect.gen(function*() {
      const { org, admin, platform } = yield* bootstrap()
      const member = yield* join(admin.principal, org.id, "pu@example.com", "partner_user")
      const operator = yield* platformUser("aidial_operator")
      expect(Team.rank("partner_user")).toBeLessThan(Team.rank("partner_admin"))
      expect(Either.isLeft(Team.checkGrant(member.principal, "partner_admin"))).toBe(true)
      expect(Either.isRight(Team.checkGrant(member.principal, "partner_user"))).toBe(true)
      expect(Either.isRight(Team.checkGrant(admin.principal, "partner_admin"))).toBe(true)
      expect(Either.isRight(Team.checkGrant(platform, "partner_admin"))).toBe(true)
      expect(Either.isLeft(Team.checkGrant(operator, "partner_user"))).toBe(true)
      expect(Either.getLeft(Team.checkGrant(member.principal, "partner_admin")).pipe(Option.map((e) => e._tag))).toEqual(
        Option.some("RoleAboveOwn")
      )
    }).pipe(Effect.provide(layer())))
})

describe("accepting", () => {
  it.effect("creates the membership and completes the organisation's bootstrap on the first partner_admin", () =>
    Effect.gen(function*() {
      const platform = yield* platformUser()
      const org = yield* PartnerOrgs.provision(platform, { name: "Acme", description: "" })
      expect(org.status).toBe("provisioning")
      const issued = yield* Teams.invite(platform, org.id, { email: email("Boss@Acme.example"), role: "partner_admin", message: null })
      const boss = yield* addUser("boss@acme.example")
      const result = yield* Teams.accept(boss, codeOf(issued))
      expect(result.membership).toMatchObject({ userId: boss.id, partnerOrgId: org.id, role: "partner_admin" })
      expect(Option.map(yield* (yield* PartnerOrgRepo.PartnerOrgRepo).get(org.id), (o) => o.status)).toEqual(
        Option.some("active")
      )
      const stored = Option.getOrThrow(yield* (yield* InvitationRepo.InvitationRepo).get(issued.invitation.id))
      expect(stored.status).toBe("accepted")
      expect(stored.acceptedBy).toBe(boss.id)
      const principal = yield* principalOf(boss)
      expect(principal).toMatchObject({ _tag: "PartnerUser", role: "partner_admin", partnerOrgStatus: "active" })
      const actions = (yield* (yield* AuditLog.AuditLog).query({ partnerOrgId: org.id }, all)).items.map((e) => e.action)
      expect(actions).toEqual(["partner.provision", "team.invite", "team.invitation.accept", "partner.activate"])
    }).pipe(Effect.provide(layer())))

  it.effect("keeps the organisation provisioning when its first accepted member is a partner_user", () =>
    Effect.gen(function*() {
      const platform = yield* platformUser()
      const org = yield* PartnerOrgs.provision(platform, { name: "Acme", description: "" })
      yield* join(platform, org.id, "user@acme.example", "partner_user")
      expect(Option.map(yield* (yield* PartnerOrgRepo.PartnerOrgRepo).get(org.id), (o) => o.status)).toEqual(
        Option.some("provisioning")
      )
    }).pipe(Effect.provide(layer())))

  const pending = Effect.gen(function*() {
    const { org, admin } = yield* bootstrap()
    const issued = yield* Teams.invite(admin.principal, org.id, { email: email("ann@example.com"), role: "partner_user", message: null })
    return { org, admin, issued }
  })

  it.effect("refuses a second acceptance as InvitationAlreadyAccepted and changes nothing", () =>
    Effect.gen(function*() {
      const { issued } = yield* pending
      const ann = yield* addUser("ann@example.com")
      yield* Teams.accept(ann, codeOf(issued))
      yield* refusedUnchanged(Teams.accept(ann, codeOf(issued)), "InvitationAlreadyAccepted")
    }).pipe(Effect.provide(layer())))

  it.effect("refuses acceptance after expiry as InvitationExpired and changes nothing", () =>
    Effect.gen(function*() {
      const { issued } = yield* pending
      const ann = yield* addUser("ann@example.com")
      yield* (yield* TestClock).advance(week)
      yield* refusedUnchanged(Teams.accept(ann, codeOf(issued)), "InvitationExpired")
    }).pipe(Effect.provide(layer())))

  it.effect("accepts one millisecond before expiry", () =>
    Effect.gen(function*() {
      const { issued } = yield* pending
      const ann = yield* addUser("ann@example.com")
      yield* (yield* TestClock).advance(week - 1)
      yield* Teams.accept(ann, codeOf(issued))
    }).pipe(Effect.provide(layer())))

  it.effect("refuses acceptance after revocation as InvitationRevoked and changes nothing", () =>
    Effect.gen(function*() {
      const { issued, admin, org } = yield* pending
      yield* Teams.revokeInvitation(admin.principal, org.id, issued.invitation.id)
      const ann = yield* addUser("ann@example.com")
      yield* refusedUnchanged(Teams.accept(ann, codeOf(issued)), "InvitationRevoked")
    }).pipe(Effect.provide(layer())))

  it.effect("accepts as the signed-in principal's user; refuses an API key and a principal whose user is gone", () =>
    Effect.gen(function*() {
      const { issued, org } = yield* pending
      const key: Principal.Principal = {
        _tag: "ApiKey",
        keyId: Ids.ApiKeyId.make("key_any"),
        clientId: Ids.ClientId.make("cli_any"),
        environment: "live",
        scope: "manage"
      }
      yield* refusedUnchanged(Teams.acceptFor(key, codeOf(issued)), "AcceptNeedsUser")
      const ghost: Principal.Principal = { _tag: "Unaffiliated", userId: Ids.UserId.make("usr_gone") }
      yield* refusedUnchanged(Teams.acceptFor(ghost, codeOf(issued)), "UnknownUser")
      const ann = yield* addUser("ann@example.com")
      const accepted = yield* Teams.acceptFor({ _tag: "Unaffiliated", userId: ann.id }, codeOf(issued))
      expect(accepted.membership).toMatchObject({ userId: ann.id, partnerOrgId: org.id, role: "partner_user" })
    }).pipe(Effect.provide(layer())))

  it.effect("refuses a user with another email as InvitationEmailMismatch and changes nothing", () =>
    Effect.gen(function*() {
      const { issued } = yield* pending
      const eve = yield* addUser("eve@example.com")
      yield* refusedUnchanged(Teams.accept(eve, codeOf(issued)), "InvitationEmailMismatch")
    }).pipe(Effect.provide(layer())))

  it.effect("refuses a user whose email is not verified as EmailNotVerified and changes nothing", () =>
    Effect.gen(function*() {
      const { issued } = yield* pending
      const ann = yield* addUser("ann@example.com", false)
      yield* refusedUnchanged(Teams.accept(ann, codeOf(issued)), "EmailNotVerified")
    }).pipe(Effect.provide(layer())))

  it.effect("refuses a malformed, unknown or tampered code as InvitationNotFound and changes nothing", () =>
    Effect.gen(function*() {
      const { issued } = yield* pending
      const ann = yield* addUser("ann@example.com")
      const code = Redacted.value(codeOf(issued))
      const tampered = code.slice(0, -2) + (code.endsWith("AA") ? "BB" : "AA")
      for (const bad of ["", "nonsense", `inv_unknown.${code.split(".")[1]}`, tampered]) {
        yield* refusedUnchanged(Teams.accept(ann, Redacted.make(bad)), "InvitationNotFound")
      }
    }).pipe(Effect.provide(layer())))

  it.effect("refuses a user who already holds a membership elsewhere as AlreadyMember", () =>
    Effect.gen(function*() {
      const a = yield* bootstrap("Org A")
      const b = yield* bootstrap("Org B")
      const joined = yield* join(a.admin.principal, a.org.id, "ann@example.com", "partner_user")
      const issued = yield* Teams.invite(b.admin.principal, b.org.id, { email: email("ann@example.com"), role: "partner_user", message: null })
      yield* refusedUnchanged(Teams.accept(joined.user, codeOf(issued)), "AlreadyMember")
    }).pipe(Effect.provide(layer())))

  it.effect("gives exactly one membership when two acceptances of one invitation are released together", () =>
    Effect.gen(function*() {
      const { issued, org } = yield* pending
      const ann = yield* addUser("ann@example.com")
      const gate = yield* Deferred.make<void>()
      const attempt = Effect.zipRight(Deferred.await(gate), Effect.exit(Teams.accept(ann, codeOf(issued))))
      const racing = yield* Effect.fork(Effect.all([attempt, attempt], { concurrency: "unbounded" }))
      yield* Deferred.succeed(gate, undefined)
      const exits = yield* racing.await.pipe(Effect.flatten)
      expect(exits.filter(Exit.isSuccess).length).toBe(1)
      const members = yield* (yield* MembershipRepo.MembershipRepo).listByPartnerOrg(org.id)
      expect(members.filter((m) => m.userId === ann.id).length).toBe(1)
      const accepts = (yield* (yield* AuditLog.AuditLog).query({ action: "team.invitation.accept" }, all)).items
      expect(accepts.filter((e) => e.targetId === issued.invitation.id).length).toBe(1)
    }).pipe(Effect.provide(layer())))
})

describe("resending and revoking", () => {
  it.effect("resend issues a new token and expiry and voids the old link", () =>
    Effect.gen(function*() {
      const { org, admin } = yield* bootstrap()
      const first = yield* Teams.invite(admin.principal, org.id, { email: email("ann@example.com"), role: "partner_user", message: "hi" })
      yield* (yield* TestClock).advance(Duration.toMillis(Duration.days(3)))
      const second = yield* Teams.resend(admin.principal, org.id, first.invitation.id)
      expect(second.invitation.id).not.toBe(first.invitation.id)
      expect(second.invitation.message).toBe("hi")
      expect(second.invitation.expiresAt.getTime()).toBe(first.invitation.expiresAt.getTime() + Duration.toMillis(Duration.days(3)))
      expect(Redacted.value(second.link)).not.toBe(Redacted.value(first.link))
      const ann = yield* addUser("ann@example.com")
      yield* refusedUnchanged(Teams.accept(ann, codeOf(first)), "InvitationRevoked")
      yield* Teams.accept(ann, codeOf(second))
      const mails = (yield* (yield* Outbox.Outbox).pending(100)).filter((m) => m.recipient === "ann@example.com")
      expect(mails.map((m) => Redacted.value(m.payload)["link"])).toEqual([Redacted.value(first.link), Redacted.value(second.link)])
    }).pipe(Effect.provide(layer())))

  it.effect("resends an expired invitation, giving it a fresh expiry", () =>
    Effect.gen(function*() {
      const { org, admin } = yield* bootstrap()
      const first = yield* Teams.invite(admin.principal, org.id, { email: email("ann@example.com"), role: "partner_user", message: null })
      yield* (yield* TestClock).advance(week * 2)
      const second = yield* Teams.resend(admin.principal, org.id, first.invitation.id)
      const ann = yield* addUser("ann@example.com")
      yield* Teams.accept(ann, codeOf(second))
    }).pipe(Effect.provide(layer())))

  it.effect("refuses to resend or revoke a closed invitation and changes nothing", () =>
    Effect.gen(function*() {
      const { org, admin } = yield* bootstrap()
      const revoked = yield* Teams.invite(admin.principal, org.id, { email: email("ann@example.com"), role: "partner_user", message: null })
      yield* Teams.revokeInvitation(admin.principal, org.id, revoked.invitation.id)
      yield* refusedUnchanged(Teams.revokeInvitation(admin.principal, org.id, revoked.invitation.id), "InvitationRevoked")
      yield* refusedUnchanged(Teams.resend(admin.principal, org.id, revoked.invitation.id), "InvitationRevoked")
      const accepted = yield* join(admin.principal, org.id, "bob@example.com", "partner_user")
      yield* refusedUnchanged(Teams.resend(admin.principal, org.id, accepted.invitation.id), "InvitationAlreadyAccepted")
      yield* refusedUnchanged(Teams.revokeInvitation(admin.principal, org.id, accepted.invitation.id), "InvitationAlreadyAccepted")
    }).pipe(Effect.provide(layer())))

  it.effect("lists invitations by status", () =>
    Effect.gen(function*() {
      const { org, admin } = yield* bootstrap()
      const a = yield* Teams.invite(admin.principal, org.id, { email: email("a@example.com"), role: "partner_user", message: null })
      yield* Teams.invite(admin.principal, org.id, { email: email("b@example.com"), role: "partner_user", message: null })
      yield* Teams.revokeInvitation(admin.principal, org.id, a.invitation.id)
      const pendingOnes = yield* Teams.listInvitations(admin.principal, org.id, { status: "pending" }, all)
      expect(pendingOnes.items.map((i) => i.email)).toEqual(["b@example.com"])
      const revokedOnes = yield* Teams.listInvitations(admin.principal, org.id, { status: "revoked" }, all)
      expect(revokedOnes.items.map((i) => i.email)).toEqual(["a@example.com"])
    }).pipe(Effect.provide(layer())))
})

describe("members", () => {
  it.effect("lists members with role and coalesced last-active time", () =>
    Effect.gen(function*() {
      const { org, admin } = yield* bootstrap()
      const bob = yield* join(admin.principal, org.id, "bob@example.com", "partner_user")
      const seen = new Date("2026-01-01T10:00:00.000Z")
      yield* (yield* MemberActivity.MemberActivity).touchLastActive([{ userId: bob.user.id, at: seen }])
      const members = yield* Teams.listMembers(bob.principal, org.id)
      expect(members.map((m) => [m.email, m.role, Option.getOrNull(m.lastActiveAt)])).toEqual([
        [admin.user.email, "partner_admin", null],
        ["bob@example.com", "partner_user", seen]
      ])
    }).pipe(Effect.provide(layer())))

  it.effect("refuses to demote or remove the last partner_admin of an active organisation", () =>
    Effect.gen(function*() {
      const { org, admin, platform } = yield* bootstrap()
      yield* refusedUnchanged(Teams.changeRole(admin.principal, org.id, admin.user.id, "partner_user"), "LastPartnerAdmin")
      yield* refusedUnchanged(Teams.removeMember(platform, org.id, admin.user.id), "LastPartnerAdmin")
    }).pipe(Effect.provide(layer())))

  it.effect("demotes and removes an admin when another partner_admin remains", () =>
    Effect.gen(function*() {
      const { org, admin } = yield* bootstrap()
      const second = yield* join(admin.principal, org.id, "second@example.com", "partner_admin")
      const demoted = yield* Teams.changeRole(second.principal, org.id, admin.user.id, "partner_user")
      expect(demoted.role).toBe("partner_user")
      yield* refusedUnchanged(Teams.changeRole(second.principal, org.id, second.user.id, "partner_user"), "LastPartnerAdmin")
      yield* Teams.removeMember(second.principal, org.id, admin.user.id)
      expect(yield* (yield* MembershipRepo.MembershipRepo).get(admin.user.id)).toEqual(Option.none())
      const event = (yield* (yield* AuditLog.AuditLog).query({ action: "team.member.role" }, all)).items[0]
      expect(event?.details).toEqual({ from: "partner_admin", to: "partner_user" })
    }).pipe(Effect.provide(layer())))

  it.effect("removes a member's client assignments in the same transaction", () =>
    Effect.gen(function*() {
      const { org, admin } = yield* bootstrap()
      const bob = yield* join(admin.principal, org.id, "bob@example.com", "partner_user")
      const client = yield* Clients.provision(admin.principal, { name: "Client One", partnerOrgId: org.id })
      yield* Clients.assign(admin.principal, client.id, bob.user.id)
      yield* Teams.removeMember(admin.principal, org.id, bob.user.id)
      expect(yield* (yield* AssignmentRepo.AssignmentRepo).clientsOf(bob.user.id)).toEqual([])
      expect(yield* (yield* MembershipRepo.MembershipRepo).get(bob.user.id)).toEqual(Option.none())
    }).pipe(Effect.provide(layer())))

  it.effect("keeps membership and assignments when removal fails midway", () =>
    Effect.gen(function*() {
      const { org, admin } = yield* bootstrap()
      const bob = yield* join(admin.principal, org.id, "bob@example.com", "partner_user")
      const client = yield* Clients.provision(admin.principal, { name: "Client One", partnerOrgId: org.id })
      yield* Clients.assign(admin.principal, client.id, bob.user.id)
      const assignments = yield* AssignmentRepo.AssignmentRepo
      const failing = AssignmentRepo.AssignmentRepo.of({
        ...assignments,
        removeAllForUser: () => Effect.fail(new StorageError.StorageError({ message: "down" }))
      })
      const before = yield* snapshot
      const error = yield* Effect.flip(
        Teams.removeMember(admin.principal, org.id, bob.user.id).pipe(Effect.provideService(AssignmentRepo.AssignmentRepo, failing))
      )
      expect(error._tag).toBe("StorageError")
      expect(yield* snapshot).toEqual(before)
    }).pipe(Effect.provide(layer())))

  it.effect("answers NotFound for a user who is not a member of the organisation", () =>
    Effect.gen(function*() {
      const a = yield* bootstrap("Org A")
      const b = yield* bootstrap("Org B")
      yield* refusedUnchanged(Teams.removeMember(a.admin.principal, a.org.id, b.admin.user.id), "NotFound")
      yield* refusedUnchanged(Teams.changeRole(a.admin.principal, a.org.id, b.admin.user.id, "partner_user"), "NotFound")
    }).pipe(Effect.provide(layer())))

  it.effect("lets a partner_user view the team of an active organisation but not manage it", () =>
    Effect.gen(function*() {
      const { org, admin } = yield* bootstrap()
      const bob = yield* join(admin.principal, org.id, "bob@example.com", "partner_user")
      expect((yield* Teams.listMembers(bob.principal, org.id)).length).toBe(2)
      yield* refusedUnchanged(Teams.changeRole(bob.principal, org.id, bob.user.id, "partner_admin"), "Forbidden")
      yield* refusedUnchanged(Teams.removeMember(bob.principal, org.id, admin.user.id), "Forbidden")
    }).pipe(Effect.provide(layer())))
})
