import { Context, type Effect, type Option } from "effect"
import type { ApiKey, ApiKeyConflict, Scope, Status } from "../ApiKey.js"
import type { ApiKeyId, ClientId } from "../Ids.js"
import type { Page, PageRequest } from "../Page.js"
import type { StorageError } from "../StorageError.js"
import type { ClientStatus, DataEnvironment } from "../Tenancy.js"
import type { Digest } from "./Secrets.js"

/** A key as written to storage: its metadata and the digest of its plaintext. */
export interface StoredApiKey {
  readonly key: ApiKey
  readonly digest: Digest
}

/** Everything verification needs, read at once (the key joined with its client's status). */
export interface Verification {
  readonly id: ApiKeyId
  readonly digest: Digest
  readonly status: Status
  readonly expiresAt: Date | null
  readonly clientId: ClientId
  readonly clientStatus: ClientStatus
  readonly scope: Scope
  readonly environment: DataEnvironment
}

/**
 * API keys. Transitions are compare-and-swap on `status = 'active'`, so that of two concurrent
 * changes to one key exactly one wins. Verification only reads.
 */
export class ApiKeyRepo extends Context.Tag("@aidial/domain/ApiKeyRepo")<ApiKeyRepo, {
  /** The key's metadata, if it exists. */
  readonly get: (id: ApiKeyId) => Effect.Effect<Option.Option<ApiKey>, StorageError>
  /**
   * The key's metadata if it belongs to this client (and this environment, when given); none when it is
   * missing or another's alike, so a caller cannot tell the two apart, not even by the work done.
   */
  readonly getWithin: (
    id: ApiKeyId,
    clientId: ClientId,
    environment?: DataEnvironment
  ) => Effect.Effect<Option.Option<ApiKey>, StorageError>
  /** One indexed read of what verification needs, joined with the client's status; nothing is written. */
  readonly findForVerification: (id: ApiKeyId) => Effect.Effect<Option.Option<Verification>, StorageError>
  /** Stores a new key. */
  readonly insert: (stored: StoredApiKey) => Effect.Effect<void, StorageError>
  /** The client's keys, every state, in id order; only those of `environment` when it is given. */
  readonly list: (
    clientId: ClientId,
    page: PageRequest,
    environment?: DataEnvironment
  ) => Effect.Effect<Page<ApiKey>, StorageError>
  /**
   * Atomically marks the source `rotated` (linked to the replacement, disabled at `at`) only if it is
   * `active`, and inserts the replacement; `ApiKeyConflict` (and no change) when the source is not active
   * or missing. Returns the source as it now is.
   */
  readonly rotate: (
    sourceId: ApiKeyId,
    replacement: StoredApiKey,
    at: Date
  ) => Effect.Effect<ApiKey, ApiKeyConflict | StorageError>
  /** Marks the key `revoked` only if it is `active`; `ApiKeyConflict` (and no change) otherwise. Returns the key as it now is. */
  readonly revoke: (id: ApiKeyId, reason: string, at: Date) => Effect.Effect<ApiKey, ApiKeyConflict | StorageError>
}>() {}
