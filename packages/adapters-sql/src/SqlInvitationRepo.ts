import { InvitationRepo, Page, Team } from "@aidial/domain"
import { Effect, Layer } from "effect"
import type { Selectable } from "kysely"
import type { InvitationsTable } from "./Database.js"
import * as Limit from "./internal/Limit.js"
import * as Rows from "./internal/Rows.js"
import { KyselyClient } from "./KyselyClient.js"
import * as SqlTransactor from "./SqlTransactor.js"

const decodeInvitation = Rows.decode(Team.Invitation, "invitation")

const toDomain = (row: Selectable<InvitationsTable>) =>
  decodeInvitation({
    id: row.id,
    partnerOrgId: row.partner_org_id,
    email: row.email,
    role: row.role,
    message: row.message,
    tokenDigest: { version: row.token_digest_version, hex: row.token_digest_hex },
    invitedBy: row.invited_by,
    createdAt: new Date(row.created_at),
    expiresAt: new Date(row.expires_at),
    status: row.status,
    acceptedBy: row.accepted_by,
    closedAt: row.closed_at === null ? null : new Date(row.closed_at)
  })

const toRow = (invitation: Team.Invitation): InvitationsTable => ({
  id: invitation.id,
  partner_org_id: invitation.partnerOrgId,
  email: invitation.email,
  role: invitation.role,
  message: invitation.message,
  token_digest_version: invitation.tokenDigest.version,
  token_digest_hex: invitation.tokenDigest.hex,
  invited_by: invitation.invitedBy,
  created_at: invitation.createdAt.getTime(),
  expires_at: invitation.expiresAt.getTime(),
  status: invitation.status,
  accepted_by: invitation.acceptedBy,
  closed_at: invitation.closedAt === null ? null : invitation.closedAt.getTime()
})

/**
 * Invitations in the `invitations` table; a partial unique index keeps one `pending` invitation per
 * (organisation, email), and `updatePending` is a compare-and-set on the stored status.
 */
export const layer: Layer.Layer<InvitationRepo.InvitationRepo, never, KyselyClient> = Layer.effect(
  InvitationRepo.InvitationRepo,
  Effect.map(KyselyClient, (client) => {
    const run = SqlTransactor.runner(client)
    return InvitationRepo.InvitationRepo.of({
      get: (id) =>
        run("cannot read invitation", (db) =>
          db.selectFrom("invitations").selectAll().where("id", "=", id).executeTakeFirst())
          .pipe(Effect.flatMap(Rows.decodeOption(toDomain))),
      findPending: (partnerOrgId, email) =>
        run("cannot find pending invitation", (db) =>
          db.selectFrom("invitations").selectAll()
            .where("partner_org_id", "=", partnerOrgId)
            .where("email", "=", email)
            .where("status", "=", "pending")
            .executeTakeFirst())
          .pipe(Effect.flatMap(Rows.decodeOption(toDomain))),
      insert: (invitation) =>
        run("cannot insert invitation", (db) => db.insertInto("invitations").values(toRow(invitation)).execute())
          .pipe(Effect.asVoid),
      updatePending: (invitation) => {
        const { id, ...rest } = toRow(invitation)
        return run("cannot update invitation", (db) =>
          db.updateTable("invitations").set(rest)
            .where("id", "=", id)
            .where("status", "=", "pending")
            .executeTakeFirst())
          .pipe(Effect.map((result) => result.numUpdatedRows > 0n))
      },
      list: (partnerOrgId, filter, page) =>
        run("cannot list invitations", (db) => {
          let query = db.selectFrom("invitations").selectAll().where("partner_org_id", "=", partnerOrgId)
          if (filter.status !== undefined) query = query.where("status", "=", filter.status)
          if (page.after !== null) query = query.where("id", ">", page.after)
          return query.orderBy("id").limit(Limit.of(page.limit + 1)).execute()
        }).pipe(
          Effect.flatMap(Rows.decodeAll(toDomain)),
          Effect.map((rows) => Page.fromRows(rows, page.limit))
        )
    })
  })
)
