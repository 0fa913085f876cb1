import { describe, expect, it } from "@effect/vitest"
import {
  Ids,
  InvitationRepo,
  MemberActivity,
  Outbox,
  StorageError,
  Team,
  Transactor,
  User
} from "@aidial/domain"
import { Effect, Exit, type Layer, Option, Redacted, Schema } from "effect"

/** What a storage adapter provides for the partner-team ports. */
export type TeamPorts = InvitationRepo.InvitationRepo | Outbox.Outbox | MemberActivity.MemberActivity | Transactor.Transactor

const org1 = Ids.PartnerOrgId.make("org_contract_1")
const org2 = Ids.PartnerOrgId.make("org_contract_2")
const email = (s: string) => Schema.decodeSync(User.Email)(s)
const t0 = new Date("2026-01-01T00:00:00.000Z")

const invitation = (id: string, fields: Partial<Team.Invitation> = {}) =>
  new Team.Invitation({
    id: Team.InvitationId.make(id),
    partnerOrgId: org1,
    email: email("ann@example.com"),
    role: "partner_user",
    message: null,
    tokenDigest: { version: 1, hex: "ab".repeat(32) },
    invitedBy: null,
    createdAt: t0,
    expiresAt: new Date(t0.getTime() + 7 * 86_400_000),
    status: "pending",
    acceptedBy: null,
    closedAt: null,
    ...fields
  })

const message = (id: string, link = "https://portal.example/accept?code=secret") =>
  new Outbox.OutboxMessage({
    id,
    topic: Outbox.invitationTopic,
    recipient: "ann@example.com",
    payload: Redacted.make({ link }),
    createdAt: t0
  })

const everything = { after: null, limit: 100 }

/**
 * The contract every storage adapter of the partner-team ports passes. `layer` must give every
 * test fresh, empty storage.
 */
export const suite = <E>(name: string, layer: Layer.Layer<TeamPorts, E>) =>
  describe(`${name}: partner-team ports`, () => {
    const run = <A, E2>(effect: Effect.Effect<A, E2, TeamPorts>) => Effect.provide(effect, layer)

    it.effect("returns a stored invitation by id, field for field", () =>
      run(Effect.gen(function*() {
        const repo = yield* InvitationRepo.InvitationRepo
        const stored = invitation("inv_1", { message: "Welcome", invitedBy: Ids.UserId.make("usr_1") })
        yield* repo.insert(stored)
        expect(yield* repo.get(stored.id)).toEqual(Option.some(stored))
        expect(yield* repo.get(Team.InvitationId.make("inv_missing"))).toEqual(Option.none())
      })))

    it.effect("finds the pending invitation of an (organisation, email) only", () =>
      run(Effect.gen(function*() {
        const repo = yield* InvitationRepo.InvitationRepo
        yield* repo.insert(invitation("inv_1", { status: "revoked", closedAt: t0 }))
        yield* repo.insert(invitation("inv_2"))
        yield* repo.insert(invitation("inv_3", { partnerOrgId: org2 }))
        const found = yield* repo.findPending(org1, email("ann@example.com"))
        expect(Option.map(found, (i) => i.id)).toEqual(Option.some("inv_2"))
        expect(yield* repo.findPending(org1, email("bob@example.com"))).toEqual(Option.none())
      })))

    it.effect("refuses a second pending invitation for the same organisation and email", () =>
      run(Effect.gen(function*() {
        const repo = yield* InvitationRepo.InvitationRepo
        yield* repo.insert(invitation("inv_1"))
        const second = yield* Effect.either(repo.insert(invitation("inv_2")))
        expect(second._tag).toBe("Left")
        yield* repo.insert(invitation("inv_3", { status: "revoked", closedAt: t0 }))
        const all = yield* repo.list(org1, {}, everything)
        expect(all.items.map((i) => i.id)).toEqual(["inv_1", "inv_3"])
      })))

    it.effect("updates a pending invitation once: the second close is refused and changes nothing", () =>
      run(Effect.gen(function*() {
        const repo = yield* InvitationRepo.InvitationRepo
        const pending = invitation("inv_1")
        yield* repo.insert(pending)
        const accepted = new Team.Invitation({
          ...pending,
          status: "accepted",
          acceptedBy: Ids.UserId.make("usr_1"),
          closedAt: t0
        })
        expect(yield* repo.updatePending(accepted)).toBe(true)
        const revoked = new Team.Invitation({ ...pending, status: "revoked", closedAt: t0 })
        expect(yield* repo.updatePending(revoked)).toBe(false)
        expect(yield* repo.get(pending.id)).toEqual(Option.some(accepted))
        expect(yield* repo.updatePending(invitation("inv_missing"))).toBe(false)
        expect(yield* repo.get(Team.InvitationId.make("inv_missing"))).toEqual(Option.none())
      })))

    it.effect("lists an organisation's invitations in id order, by status, page by page", () =>
      run(Effect.gen(function*() {
        const repo = yield* InvitationRepo.InvitationRepo
        // one pending invitation per (organisation, email): each gets its own address
        for (const id of ["inv_3", "inv_1", "inv_2"]) yield* repo.insert(invitation(id, { email: email(`${id}@example.com`) }))
        yield* repo.insert(invitation("inv_4", { status: "revoked", closedAt: t0 }))
        yield* repo.insert(invitation("inv_5", { partnerOrgId: org2 }))
        const first = yield* repo.list(org1, { status: "pending" }, { after: null, limit: 2 })
        expect(first.items.map((i) => i.id)).toEqual(["inv_1", "inv_2"])
        expect(first.next).toBe("inv_2")
        const second = yield* repo.list(org1, { status: "pending" }, { after: first.next, limit: 2 })
        expect(second.items.map((i) => i.id)).toEqual(["inv_3"])
        expect(second.next).toBeNull()
        const all = yield* repo.list(org1, {}, everything)
        expect(all.items.map((i) => i.id)).toEqual(["inv_1", "inv_2", "inv_3", "inv_4"])
      })))

    it.effect("keeps no invitation and no outbox message written by a failed transaction", () =>
      run(Effect.gen(function*() {
        const repo = yield* InvitationRepo.InvitationRepo
        const outbox = yield* Outbox.Outbox
        const exit = yield* Effect.exit((yield* Transactor.Transactor).withTransaction(Effect.gen(function*() {
          yield* repo.insert(invitation("inv_1"))
          yield* outbox.append(message("obx_1"))
          return yield* new StorageError.StorageError({ message: "boom" })
        })))
        expect(Exit.isFailure(exit)).toBe(true)
        expect(yield* repo.get(Team.InvitationId.make("inv_1"))).toEqual(Option.none())
        expect(yield* outbox.pending(10)).toEqual([])
      })))

    it.effect("delivers outbox messages oldest first, keeping the payload, until acknowledged", () =>
      run(Effect.gen(function*() {
        const outbox = yield* Outbox.Outbox
        yield* (yield* Transactor.Transactor).withTransaction(Effect.all([
          outbox.append(message("obx_2", "https://x.example/2")),
          outbox.append(message("obx_1", "https://x.example/1")),
          outbox.append(message("obx_3", "https://x.example/3"))
        ]))
        const firstTwo = yield* outbox.pending(2)
        expect(firstTwo.map((m) => m.id)).toEqual(["obx_1", "obx_2"])
        expect(firstTwo.map((m) => Redacted.value(m.payload)["link"])).toEqual([
          "https://x.example/1",
          "https://x.example/2"
        ])
        expect(firstTwo[0]?.topic).toBe(Outbox.invitationTopic)
        yield* outbox.acknowledge(["obx_1", "obx_2", "obx_unknown"])
        expect((yield* outbox.pending(10)).map((m) => m.id)).toEqual(["obx_3"])
      })))

    it.effect("keeps each user's latest activity and never moves it back", () =>
      run(Effect.gen(function*() {
        const activity = yield* MemberActivity.MemberActivity
        const ann = Ids.UserId.make("usr_ann")
        const bob = Ids.UserId.make("usr_bob")
        const at = (ms: number) => new Date(t0.getTime() + ms)
        yield* activity.touchLastActive([{ userId: ann, at: at(5000) }, { userId: bob, at: at(1000) }])
        yield* activity.touchLastActive([{ userId: ann, at: at(2000) }, { userId: bob, at: at(3000) }])
        const seen = yield* activity.lastActive([ann, bob, Ids.UserId.make("usr_never")])
        expect(seen.get(ann)?.toISOString()).toBe(at(5000).toISOString())
        expect(seen.get(bob)?.toISOString()).toBe(at(3000).toISOString())
        expect(seen.has(Ids.UserId.make("usr_never"))).toBe(false)
      })))
  })
