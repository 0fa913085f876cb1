import { MembershipRepo, Role } from "@aidial/domain"
import { Effect, Layer, Match } from "effect"
import type { Selectable } from "kysely"
import type { MembershipsTable } from "./Database.js"
import * as Rows from "./internal/Rows.js"
import * as TenancyRows from "./internal/TenancyRows.js"
import * as Prepared from "./internal/Prepared.js"
import { KyselyClient } from "./KyselyClient.js"
import * as SqlTransactor from "./SqlTransactor.js"

const firstOf = Rows.first(TenancyRows.membership)

const decodePartnerMembership = Rows.decode(Role.PartnerMembership, "partner membership")

const toPartner = (row: Selectable<MembershipsTable>) =>
  decodePartnerMembership({
    _tag: row.kind,
    userId: row.user_id,
    role: row.role,
    partnerOrgId: row.partner_org_id
  })

const toRow = Match.type<Role.Membership>().pipe(
  Match.tagsExhaustive({
    PlatformMembership: (m): MembershipsTable => ({
      user_id: m.userId,
      kind: m._tag,
      role: m.role,
      partner_org_id: null,
      client_id: null
    }),
    PartnerMembership: (m): MembershipsTable => ({
      user_id: m.userId,
      kind: m._tag,
      role: m.role,
      partner_org_id: m.partnerOrgId,
      client_id: null
    }),
    CustomerMembership: (m): MembershipsTable => ({
      user_id: m.userId,
      kind: m._tag,
      role: m.role,
      partner_org_id: null,
      client_id: m.clientId
    })
  })
)

/** Memberships in the `memberships` table, one row per user. */
export const layer: Layer.Layer<MembershipRepo.MembershipRepo, never, KyselyClient> = Layer.effect(
  MembershipRepo.MembershipRepo,
  Effect.map(KyselyClient, (client) => {
    const run = SqlTransactor.runner(client)
    const select = Prepared.selector<Selectable<MembershipsTable>>(client)
    return MembershipRepo.MembershipRepo.of({
      // Read on every bearer-token request (principal resolution): a hot read.
      get: (userId) =>
        select("cannot read membership", (db, v) => db.selectFrom("memberships").selectAll().where("user_id", "=", v.userId), {
          key: "get",
          values: { userId }
        }, firstOf),
      put: (membership) => {
        const row = toRow(membership)
        const { user_id: _, ...rest } = row
        return run("cannot store membership", (db) =>
          db.insertInto("memberships").values(row)
            .onConflict((oc) => oc.column("user_id").doUpdateSet(rest))
            .execute()).pipe(Effect.asVoid)
      },
      remove: (userId) =>
        run("cannot remove membership", (db) => db.deleteFrom("memberships").where("user_id", "=", userId).execute())
          .pipe(Effect.asVoid),
      listByPartnerOrg: (partnerOrgId) =>
        run("cannot list memberships", (db) =>
          db.selectFrom("memberships").selectAll()
            .where("kind", "=", "PartnerMembership")
            .where("partner_org_id", "=", partnerOrgId)
            .orderBy("user_id")
            .execute()).pipe(Effect.flatMap(Rows.decodeAll(toPartner)))
    })
  })
)
