import { Context, type Effect, type Option } from "effect"
import type { ClientId, PartnerOrgId } from "../Ids.js"
import type { Page, PageRequest } from "../Page.js"
import type { StorageError } from "../StorageError.js"
import type { Client } from "../Tenancy.js"

/** Narrows a listing; every field set must hold (absent fields do not narrow). */
export interface ClientFilter {
  /** Only clients managed by this partner organisation. */
  readonly partnerOrgId?: PartnerOrgId
  /** Only these clients. */
  readonly clientIds?: ReadonlyArray<ClientId>
}

/** Client organisations (tenants). */
export class ClientRepo extends Context.Tag("@aidial/domain/ClientRepo")<ClientRepo, {
  /** The client with this id, if any. */
  readonly get: (id: ClientId) => Effect.Effect<Option.Option<Client>, StorageError>
  /**
   * The client with this id if the filter also selects it (as `list` would); none when it is missing or
   * filtered out alike, so a caller cannot tell the two apart, not even by the work done.
   */
  readonly getWithin: (id: ClientId, filter: ClientFilter) => Effect.Effect<Option.Option<Client>, StorageError>
  /** Stores a new client. */
  readonly insert: (client: Client) => Effect.Effect<void, StorageError>
  /** Replaces the stored client with the same id. */
  readonly update: (client: Client) => Effect.Effect<void, StorageError>
  /** Clients matching the filter, in id order. */
  readonly list: (filter: ClientFilter, page: PageRequest) => Effect.Effect<Page<Client>, StorageError>
}>() {}
