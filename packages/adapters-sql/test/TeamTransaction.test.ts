import { describe, expect, it } from "@effect/vitest"
import { KyselyClient } from "@aidial/adapters-sql"
import { AuditLog, InvitationRepo, Outbox, StorageError, Teams, Transactor } from "@aidial/domain"
import { Effect, Exit, Redacted } from "effect"
import { sql } from "kysely"
import { backends, email, provisionOrg, stack } from "./TeamStack.js"

const all = { after: null, limit: 1000 }

describe.each(backends)("%s: an invitation and its mail are one transaction", (_name, client) => {
  it.effect("a failing outbox append leaves no invitation and no audit event behind", () =>
    Effect.gen(function*() {
      const { org, platform } = yield* provisionOrg
      const { db } = yield* KyselyClient.KyselyClient
      yield* Effect.promise(() => sql`drop table outbox`.execute(db))

      const error = yield* Effect.flip(
        Teams.invite(platform, org.id, { email: email("ann@example.com"), role: "partner_user", message: null })
      )

      expect(error._tag).toBe("StorageError")
      expect((yield* (yield* InvitationRepo.InvitationRepo).list(org.id, {}, all)).items).toEqual([])
      expect((yield* (yield* AuditLog.AuditLog).query({ action: "team.invite" }, all)).items).toEqual([])
    }).pipe(Effect.provide(stack(client()))))

  it.effect("a failure after both writes rolls back the invitation and its outbox message together", () =>
    Effect.gen(function*() {
      const { org, platform } = yield* provisionOrg
      const invitations = yield* InvitationRepo.InvitationRepo
      const outbox = yield* Outbox.Outbox
      const before = yield* outbox.pending(1000)

      const exit = yield* Effect.exit((yield* Transactor.Transactor).withTransaction(Effect.gen(function*() {
        const issued = yield* Teams.invite(platform, org.id, { email: email("ann@example.com"), role: "partner_user", message: null })
        expect((yield* invitations.list(org.id, {}, all)).items.map((i) => i.id)).toEqual([issued.invitation.id])
        expect((yield* outbox.pending(1000)).length).toBe(before.length + 1)
        return yield* new StorageError.StorageError({ message: "failure after both writes" })
      })))

      expect(Exit.isFailure(exit)).toBe(true)
      expect((yield* invitations.list(org.id, {}, all)).items).toEqual([])
      expect(yield* outbox.pending(1000)).toEqual(before)
    }).pipe(Effect.provide(stack(client()))))

  it.effect("a committed invitation comes with exactly one outbox message carrying its link, redacted when printed", () =>
    Effect.gen(function*() {
      const { org, platform } = yield* provisionOrg
      const issued = yield* Teams.invite(platform, org.id, { email: email("ann@example.com"), role: "partner_user", message: "Hi" })
      const mails = (yield* (yield* Outbox.Outbox).pending(1000)).filter((m) => m.recipient === "ann@example.com")
      expect(mails.length).toBe(1)
      expect(mails.map((m) => Redacted.value(m.payload)["link"])).toEqual([Redacted.value(issued.link)])
      expect(mails.map((m) => String(m.payload))).toEqual(["<redacted>"])
    }).pipe(Effect.provide(stack(client()))))
})
