import { Context, type Effect, type Option } from "effect"
import type { PartnerOrgId } from "../Ids.js"
import type { Page, PageRequest } from "../Page.js"
import type { StorageError } from "../StorageError.js"
import type { Invitation, InvitationId, InvitationStatus } from "../Team.js"
import type { Email } from "../User.js"

/** Narrows an invitation listing; absent fields do not narrow. */
export interface InvitationFilter {
  readonly status?: InvitationStatus
}

/**
 * Invitations to partner organisations. At most one invitation per (organisation, email) is
 * `pending` at a time; a SQL adapter should back this with a partial unique index.
 */
export class InvitationRepo extends Context.Tag("@aidial/domain/InvitationRepo")<InvitationRepo, {
  /** The invitation with this id, if any. */
  readonly get: (id: InvitationId) => Effect.Effect<Option.Option<Invitation>, StorageError>
  /** The `pending` invitation (expired or not) for this email to this organisation, if any. */
  readonly findPending: (
    partnerOrgId: PartnerOrgId,
    email: Email
  ) => Effect.Effect<Option.Option<Invitation>, StorageError>
  /** Stores a new invitation. */
  readonly insert: (invitation: Invitation) => Effect.Effect<void, StorageError>
  /**
   * Replaces the stored invitation with the same id only if the stored one is still `pending`
   * (a compare-and-set); `false` when it was not, and then nothing changes.
   */
  readonly updatePending: (invitation: Invitation) => Effect.Effect<boolean, StorageError>
  /** The organisation's invitations matching the filter, in id order. */
  readonly list: (
    partnerOrgId: PartnerOrgId,
    filter: InvitationFilter,
    page: PageRequest
  ) => Effect.Effect<Page<Invitation>, StorageError>
}>() {}
