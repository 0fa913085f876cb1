import { PrincipalRepo } from "@aidial/domain"
import { Effect, Either, Layer, Option } from "effect"
import * as Prepared from "./internal/Prepared.js"
import * as Rows from "./internal/Rows.js"
import * as TenancyRows from "./internal/TenancyRows.js"
import { KyselyClient } from "./KyselyClient.js"

/** A user's row with their membership's and its organisation's columns beside it (null where there is none). */
interface Row {
  readonly id: string
  readonly subject: string
  readonly email: string
  readonly email_verified: number
  readonly display_name: string
  readonly created_at: number
  readonly kind: string | null
  readonly role: string | null
  readonly partner_org_id: string | null
  readonly client_id: string | null
  readonly org_id: string | null
  readonly org_name: string | null
  readonly org_description: string | null
  readonly org_status: string | null
  readonly org_created_at: number | null
}

const toMember = (row: Row): Rows.Decoded<PrincipalRepo.Member> =>
  Either.flatMap(TenancyRows.user(row), (user) => {
    const membership = row.kind === null || row.role === null
      ? Either.right(Option.none())
      : Either.map(
        TenancyRows.membership({
          user_id: row.id,
          kind: row.kind,
          role: row.role,
          partner_org_id: row.partner_org_id,
          client_id: row.client_id
        }),
        Option.some
      )
    const partnerOrg = row.org_id === null || row.org_name === null || row.org_description === null ||
        row.org_status === null || row.org_created_at === null
      ? Either.right(Option.none())
      : Either.map(
        TenancyRows.partnerOrg({
          id: row.org_id,
          name: row.org_name,
          description: row.org_description,
          status: row.org_status,
          created_at: row.org_created_at
        }),
        Option.some
      )
    return Either.all({ user: Either.right(user), membership, partnerOrg })
  })

const firstOf = Rows.first(toMember)

/**
 * The member a subject names in one statement: `users` by its unique `subject`, its `memberships` row and,
 * for a partner membership, its `partner_orgs` row, each decoded as its own repository decodes it.
 */
export const layer: Layer.Layer<PrincipalRepo.PrincipalRepo, never, KyselyClient> = Layer.effect(
  PrincipalRepo.PrincipalRepo,
  Effect.map(KyselyClient, (client) => {
    const select = Prepared.selector<Row>(client)
    return PrincipalRepo.PrincipalRepo.of({
      // Every bearer-token request reads its member: a hot read.
      findBySubject: (subject) =>
        select("cannot read member", (db, v) =>
          db.selectFrom("users as u")
            .leftJoin("memberships as m", "m.user_id", "u.id")
            .leftJoin("partner_orgs as o", (join) =>
              join.onRef("o.id", "=", "m.partner_org_id").on("m.kind", "=", "PartnerMembership"))
            .select([
              "u.id",
              "u.subject",
              "u.email",
              "u.email_verified",
              "u.display_name",
              "u.created_at",
              "m.kind",
              "m.role",
              "m.partner_org_id",
              "m.client_id",
              "o.id as org_id",
              "o.name as org_name",
              "o.description as org_description",
              "o.status as org_status",
              "o.created_at as org_created_at"
            ])
            .where("u.subject", "=", v.subject), { key: "bySubject", values: { subject } }, firstOf)
    })
  })
)
