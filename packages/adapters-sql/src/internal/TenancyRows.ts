/**
 * The rows of users, memberships and partner organisations as domain values, shared by their repositories and
 * `SqlPrincipalRepo` (which reads all three in one statement), so both decode a row alike and remember it once.
 */
import { Role, Tenancy, User } from "@aidial/domain"
import type { Selectable } from "kysely"
import type { MembershipsTable, PartnerOrgsTable, UsersTable } from "../Database.js"
import * as Rows from "./Rows.js"

const decodeUser = Rows.decode(User.User, "user")
const decodeMembership = Rows.decode(Role.Membership, "membership")
const decodePartnerOrg = Rows.decode(Tenancy.PartnerOrg, "partner organisation")

/** A `users` row as a user. */
export const user = Rows.remembered((row: Selectable<UsersTable>) =>
  decodeUser({
    id: row.id,
    subject: row.subject,
    email: row.email,
    emailVerified: row.email_verified === 1,
    displayName: row.display_name,
    createdAt: new Date(row.created_at)
  }), (row) => row.id)

/** A `memberships` row as the membership of its kind. */
export const membership = Rows.remembered((row: Selectable<MembershipsTable>) =>
  decodeMembership({
    _tag: row.kind,
    userId: row.user_id,
    role: row.role,
    ...(row.partner_org_id === null ? {} : { partnerOrgId: row.partner_org_id }),
    ...(row.client_id === null ? {} : { clientId: row.client_id })
  }), (row) => row.user_id)

/** A `partner_orgs` row as an organisation. */
export const partnerOrg = Rows.remembered((row: Selectable<PartnerOrgsTable>) =>
  decodePartnerOrg({
    id: row.id,
    name: row.name,
    description: row.description,
    status: row.status,
    createdAt: new Date(row.created_at)
  }), (row) => row.id)
