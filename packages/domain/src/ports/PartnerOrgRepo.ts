import { Context, type Effect, type Option } from "effect"
import type { PartnerOrgId } from "../Ids.js"
import type { Page, PageRequest } from "../Page.js"
import type { StorageError } from "../StorageError.js"
import type { PartnerOrg } from "../Tenancy.js"

/** Partner (reseller) organisations. */
export class PartnerOrgRepo extends Context.Tag("@aidial/domain/PartnerOrgRepo")<PartnerOrgRepo, {
  /** The organisation with this id, if any. */
  readonly get: (id: PartnerOrgId) => Effect.Effect<Option.Option<PartnerOrg>, StorageError>
  /** Stores a new organisation. */
  readonly insert: (org: PartnerOrg) => Effect.Effect<void, StorageError>
  /** Replaces the stored organisation with the same id. */
  readonly update: (org: PartnerOrg) => Effect.Effect<void, StorageError>
  /**
   * Holds the organisation's row lock until the enclosing transaction ends, so that changes to one
   * organisation's team run one after another; a no-op for a missing id.
   */
  readonly lock: (id: PartnerOrgId) => Effect.Effect<void, StorageError>
  /** All organisations in id order. */
  readonly list: (page: PageRequest) => Effect.Effect<Page<PartnerOrg>, StorageError>
}>() {}
