import type { Generated } from "kysely"

/**
 * The tables as this adapter reads and writes them (snake_case columns).
 *
 * Representation choices, identical on SQLite and PostgreSQL so that every value round-trips
 * exactly on both:
 * - Instants are integer milliseconds since the Unix epoch (`bigint` on PostgreSQL, `integer` on
 *   SQLite). `layerPg` parses `int8` as a JavaScript number, which is exact for every instant a
 *   `Date` can hold; better-sqlite3 returns such integers as numbers already.
 * - Booleans are `integer` 0 or 1 (SQLite cannot bind a boolean).
 * - Ids and other text compared by the adapters use byte order (`COLLATE "C"` on PostgreSQL, the
 *   default BINARY collation on SQLite), which for ids equals JavaScript string order, so keyset
 *   pages come out in the same order as the memory adapters'.
 * - Audit `details` is a JSON object stored as text.
 */

/** Milliseconds since the Unix epoch. */
export type EpochMillis = number

/** 0 or 1. */
export type Flag = number

export interface PartnerOrgsTable {
  readonly id: string
  readonly name: string
  readonly description: string
  readonly status: string
  readonly created_at: EpochMillis
}

export interface ClientsTable {
  readonly id: string
  readonly partner_org_id: string | null
  readonly name: string
  readonly status: string
  readonly created_at: EpochMillis
}

export interface UsersTable {
  readonly id: string
  readonly subject: string
  readonly email: string
  readonly email_verified: Flag
  readonly display_name: string
  readonly created_at: EpochMillis
}

/** One row a user; `kind` is the membership's `_tag`, and only that kind's scope column is set. */
export interface MembershipsTable {
  readonly user_id: string
  readonly kind: string
  readonly role: string
  readonly partner_org_id: string | null
  readonly client_id: string | null
}

export interface AssignmentsTable {
  readonly user_id: string
  readonly client_id: string
  readonly created_at: EpochMillis
}

export interface ProjectsTable {
  readonly id: string
  readonly client_id: string
  readonly environment: string
  readonly display_name: string
  readonly timezone: string
  readonly is_active: Flag
  readonly created_at: EpochMillis
  /** The live (last published) version; `null` before the first publish. Written only by `SqlVersionRepo`. */
  readonly live_version: Generated<number | null>
}

/** Each project's one draft; `revision` is the compare-and-set guard of every write. */
export interface ProjectDraftsTable {
  readonly project_id: string
  readonly revision: number
  /** The configuration document as JSON text. */
  readonly document: string
  readonly updated_at: EpochMillis | null
  readonly updated_by: string | null
  readonly restored_from: number | null
  /** The content hash of the document; `NULL` on rows saved before it was stored. */
  readonly content_hash: string | null
  /** The runtime domains the document sets, comma-separated; `NULL` on rows saved before it was stored. */
  readonly domains: string | null
}

/** Published versions: `PRIMARY KEY (project_id, version)`, never updated or deleted. */
export interface ProjectVersionsTable {
  readonly project_id: string
  readonly version: number
  /** The configuration document as JSON text. */
  readonly document: string
  readonly content_hash: string
  readonly revision: number
  readonly published_at: EpochMillis
  readonly published_by: string
  readonly note: string | null
}

/** Each client's enabled runtime domains, as a JSON array of names. */
export interface ClientEntitlementsTable {
  readonly client_id: string
  readonly enabled: string
  readonly updated_at: EpochMillis | null
}

export interface AuditEventsTable {
  readonly id: string
  readonly at: EpochMillis
  readonly actor_kind: string
  readonly actor_id: string | null
  readonly action: string
  readonly target_type: string
  readonly target_id: string | null
  readonly client_id: string | null
  readonly partner_org_id: string | null
  readonly outcome: string
  readonly request_id: string
  /** A JSON object of string values. */
  readonly details: string
}

/** One row a key: its metadata and digest, never the plaintext. */
export interface ApiKeysTable {
  readonly id: string
  readonly client_id: string
  readonly name: string
  readonly description: string
  readonly scope: string
  readonly environment: string
  readonly prefix: string
  readonly digest_version: number
  readonly digest_hex: string
  readonly status: string
  readonly created_at: EpochMillis
  readonly created_by_kind: string
  readonly created_by_id: string | null
  readonly expires_at: EpochMillis | null
  readonly rotated_from: string | null
  readonly rotated_to: string | null
  readonly disabled_at: EpochMillis | null
  readonly revoked_reason: string | null
}

/** Requests of one key in one UTC minute that got one status code. */
export interface ApiKeyUsageTable {
  readonly key_id: string
  /** The minute's first instant. */
  readonly minute: EpochMillis
  readonly status: number
  readonly count: number
}

/** The latest recorded use of each key. */
export interface ApiKeyLastUseTable {
  readonly key_id: string
  readonly at: EpochMillis
}

/** One row an invitation; the token is stored only as its digest (version and hex). */
export interface InvitationsTable {
  readonly id: string
  readonly partner_org_id: string
  readonly email: string
  readonly role: string
  readonly message: string | null
  readonly token_digest_version: number
  readonly token_digest_hex: string
  readonly invited_by: string | null
  readonly created_at: EpochMillis
  readonly expires_at: EpochMillis
  readonly status: string
  readonly accepted_by: string | null
  /** When the invitation was accepted or revoked. */
  readonly closed_at: EpochMillis | null
}

/** Undelivered outbox messages; a message is deleted once its delivery is acknowledged. */
export interface OutboxTable {
  readonly id: string
  readonly topic: string
  readonly recipient: string
  /** A JSON object of string values. */
  readonly payload: string
  readonly created_at: EpochMillis
}

/** Each user's latest observed activity. */
export interface MemberActivityTable {
  readonly user_id: string
  readonly last_active_at: EpochMillis
}

/** Every table the adapters use, by name. */
export interface Database {
  readonly partner_orgs: PartnerOrgsTable
  readonly clients: ClientsTable
  readonly users: UsersTable
  readonly memberships: MembershipsTable
  readonly assignments: AssignmentsTable
  readonly projects: ProjectsTable
  readonly audit_events: AuditEventsTable
  readonly api_keys: ApiKeysTable
  readonly api_key_usage: ApiKeyUsageTable
  readonly api_key_last_use: ApiKeyLastUseTable
  readonly invitations: InvitationsTable
  readonly outbox: OutboxTable
  readonly member_activity: MemberActivityTable
  readonly project_drafts: ProjectDraftsTable
  readonly project_versions: ProjectVersionsTable
  readonly client_entitlements: ClientEntitlementsTable
}
