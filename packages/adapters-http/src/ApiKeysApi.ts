/**
 * Endpoint declarations for a client's API keys, under `/v1/clients/{clientId}/api-keys` (handlers in
 * `ApiKeysHttp`). Create and rotate answer the plaintext key once; every other answer is metadata only.
 * Request bodies reject unknown fields (400).
 */
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { ApiKey, type ApiKeys, Ids, Tenancy } from "@aidial/domain"
import { Schema } from "effect"
import * as Authentication from "./Authentication.js"
import * as Body from "./Body.js"
import * as Cursor from "./Cursor.js"
import * as Example from "./Example.js"
import * as Failures from "./Failures.js"
import * as IsoDateTime from "./IsoDateTime.js"
import * as RequestContext from "./RequestContext.js"
import * as Security from "./Security.js"

const DisplayName = Tenancy.DisplayName

const DateTime = IsoDateTime.DateTime

/** `"never"`, a number of days (30, 90 or 180), or an ISO 8601 date-time in the future. */
export const Expires = Schema.Union(
  Schema.Literal("never"),
  Schema.Literal(30, 90, 180),
  DateTime
).annotations({
  identifier: "ApiKeyExpires",
  description: "`\"never\"`, `30`, `90` or `180` (days from now), or an ISO 8601 date-time in the future."
})

/** `POST /v1/clients/{clientId}/api-keys` body. */
export const CreateBody = Example.wire(Body.strict({
  name: DisplayName.annotations({ description: "1 to 200 characters (trimmed)." }),
  description: Schema.optional(ApiKey.Description.annotations({ description: "Up to 1000 characters (default empty)." })),
  scope: ApiKey.Scope,
  environment: Tenancy.DataEnvironment,
  expires: Schema.optional(Expires).annotations({ description: "Default `\"never\"`." })
}).annotations({ identifier: "CreateApiKey" }), { name: "CRM sync", description: "Nightly contact import", scope: "manage", environment: "live", expires: 90 })

/** `POST .../{keyId}/rotate` body: the replacement keeps the source's expiry unless `expires` is given. */
export const RotateBody = Example.wire(Body.strict({
  expires: Schema.optional(Expires)
}).annotations({ identifier: "RotateApiKey" }), { expires: 90 })

/** The rotate payload: the body, or none at all (an empty body reads as `null`), which keeps the source's expiry. */
export const RotatePayload = Schema.NullOr(RotateBody)

/** `POST .../{keyId}/revoke` body. */
export const RevokeBody = Example.wire(Body.strict({
  reason: ApiKey.RevokeReason.annotations({ description: "Why the key is revoked, 1 to 500 characters (trimmed)." })
}).annotations({ identifier: "RevokeApiKey" }), { reason: "Leaked in a support ticket" })

/** Who created a key. */
export const Creator = Schema.Struct({
  kind: Schema.Literal("user", "api_key", "system", "anonymous"),
  id: Schema.NullOr(Schema.String)
})

/** A key's metadata: never its digest, never its plaintext. */
const MetadataFields = Schema.Struct({
  key_id: Schema.String,
  client_id: Schema.String,
  name: Schema.String,
  description: Schema.String,
  scope: ApiKey.Scope,
  environment: Tenancy.DataEnvironment,
  prefix: Schema.String.annotations({ description: "`adk_<env>_<keyid>`, the non-secret start of the key." }),
  status: ApiKey.EffectiveStatus,
  created_at: Schema.String,
  created_by: Creator,
  expires_at: Schema.NullOr(Schema.String),
  last_used_at: Schema.NullOr(Schema.String),
  rotated_from: Schema.NullOr(Schema.String),
  rotated_to: Schema.NullOr(Schema.String),
  disabled_at: Schema.NullOr(Schema.String),
  revoke_reason: Schema.NullOr(Schema.String)
}).annotations({ identifier: "ApiKeyMetadata" })

const metadataExample: typeof MetadataFields.Encoded = {
  key_id: "key_8fK2mQ",
  client_id: "cli_harbour",
  name: "CRM sync",
  description: "Nightly contact import",
  scope: "manage",
  environment: "live",
  prefix: "adk_live_key_8fK2mQ",
  status: "active",
  created_at: "2026-02-01T10:00:00.000Z",
  created_by: { kind: "user", id: "usr_nina" },
  expires_at: "2026-05-02T10:00:00.000Z",
  last_used_at: null,
  rotated_from: null,
  rotated_to: null,
  disabled_at: null,
  revoke_reason: null
}

export const Metadata = Example.wire(MetadataFields, metadataExample)

/** The plaintext, shown once: encoded from a `Redacted` only when the response is written. */
const Plaintext = Schema.Redacted(Schema.String).annotations({
  description: "The key itself. Shown only in this response; store it in a secrets manager now."
})

/** The answer to create: the key's metadata and, this once, its plaintext. */
export const Issued = Example.wire(Schema.Struct({
  api_key: Metadata,
  plaintext: Plaintext
}).annotations({ identifier: "IssuedApiKey" }), { api_key: metadataExample, plaintext: "adk_live_key_8fK2mQ_example-secret-shown-once" })

/** The answer to rotate: the replacement (with its plaintext, once) and the source as it now is. */
export const Rotated = Example.wire(Schema.Struct({
  api_key: Metadata,
  plaintext: Plaintext,
  previous: Metadata
}).annotations({ identifier: "RotatedApiKey" }), {
  api_key: { ...metadataExample, key_id: "key_3Vt9Lw", prefix: "adk_live_key_3Vt9Lw", rotated_from: "key_8fK2mQ" },
  plaintext: "adk_live_key_3Vt9Lw_example-secret-shown-once",
  previous: { ...metadataExample, status: "rotated", rotated_to: "key_3Vt9Lw", disabled_at: "2026-02-02T10:00:00.000Z" }
})

export const MetadataList = Example.wire(
  Cursor.page({ api_keys: Schema.Array(Metadata) }).annotations({ identifier: "ApiKeyList" }),
  { api_keys: [metadataExample], next_cursor: null }
)

/** The counts of one usage bucket. */
export const UsageCount = Schema.Struct({
  start: Schema.String,
  total: Schema.Int,
  count_2xx: Schema.Int,
  count_4xx: Schema.Int,
  count_5xx: Schema.Int,
  by_status: Schema.Record({ key: Schema.String, value: Schema.Int })
}).annotations({ identifier: "ApiKeyUsageCount" })

/** A key's usage over `[from, to)`. */
export const Usage = Example.wire(Schema.Struct({
  key_id: Schema.String,
  bucket: Schema.Literal("minute", "hour", "day"),
  from: Schema.String,
  to: Schema.String,
  total: Schema.Int,
  last_used_at: Schema.NullOr(Schema.String),
  counts: Schema.Array(UsageCount)
}).annotations({ identifier: "ApiKeyUsage" }), {
  key_id: "key_8fK2mQ",
  bucket: "hour",
  from: "2026-02-01T10:00:00.000Z",
  to: "2026-02-01T12:00:00.000Z",
  total: 42,
  last_used_at: "2026-02-01T11:58:03.000Z",
  counts: [
    { start: "2026-02-01T10:00:00.000Z", total: 30, count_2xx: 29, count_4xx: 1, count_5xx: 0, by_status: { "200": 29, "404": 1 } },
    { start: "2026-02-01T11:00:00.000Z", total: 12, count_2xx: 12, count_4xx: 0, count_5xx: 0, by_status: { "200": 12 } }
  ]
})

const clientPath = { clientId: Ids.ClientId }
const keyPath = Schema.Struct({ clientId: Ids.ClientId, keyId: Ids.ApiKeyId })

export const group = HttpApiGroup.make("apiKeys")
  .add(
    HttpApiEndpoint.post("create", "/clients/:clientId/api-keys")
      .setPath(Schema.Struct(clientPath))
      .setPayload(CreateBody)
      .addSuccess(Issued, { status: 201 })
      .addError(Failures.of<typeof ApiKeys.create>()("Forbidden", "InvalidExpiry", "NotFound", "StorageError"))
      .annotate(OpenApi.Summary, "Create a key (bearer only); the plaintext is in this response and nowhere else")
      .annotateContext(Security.bearerOnly)
  )
  .add(
    HttpApiEndpoint.get("list", "/clients/:clientId/api-keys")
      .setPath(Schema.Struct(clientPath))
      .setUrlParams(Schema.Struct(Cursor.PageParams))
      .addSuccess(MetadataList)
      .addError(Failures.of<typeof ApiKeys.list>()("Forbidden", "NotFound", "StorageError"))
      .annotate(OpenApi.Summary, "The client's keys, every state, in id order (metadata only)")
  )
  .add(
    HttpApiEndpoint.get("get", "/clients/:clientId/api-keys/:keyId")
      .setPath(keyPath)
      .addSuccess(Metadata)
      .addError(Failures.of<typeof ApiKeys.get>()("Forbidden", "NotFound", "StorageError"))
      .annotate(OpenApi.Summary, "One key's metadata")
  )
  .add(
    HttpApiEndpoint.post("rotate", "/clients/:clientId/api-keys/:keyId/rotate")
      .setPath(keyPath)
      .setPayload(RotatePayload)
      .addSuccess(Rotated)
      .addError(Failures.of<typeof ApiKeys.rotate>()("ApiKeyConflict", "Forbidden", "InvalidExpiry", "NotFound", "StorageError"))
      .annotate(OpenApi.Summary, "Replace an active key (bearer only); the old key stops working at once")
      .annotateContext(Security.bearerOnly)
  )
  .add(
    HttpApiEndpoint.post("revoke", "/clients/:clientId/api-keys/:keyId/revoke")
      .setPath(keyPath)
      .setPayload(RevokeBody)
      .addSuccess(Metadata)
      .addError(Failures.of<typeof ApiKeys.revoke>()("ApiKeyConflict", "Forbidden", "NotFound", "StorageError"))
      .annotate(OpenApi.Summary, "Permanently disable an active key (bearer only)")
      .annotateContext(Security.bearerOnly)
  )
  .add(
    HttpApiEndpoint.get("usage", "/clients/:clientId/api-keys/:keyId/usage")
      .setPath(keyPath)
      .setUrlParams(Schema.Struct({
        bucket: Schema.optional(Schema.Literal("minute", "hour", "day")).annotations({ description: "Default `hour`." }),
        from: Schema.optional(DateTime).annotations({ description: "Inclusive; default `to` minus 1 h (minute), 24 h (hour) or 30 days (day)." }),
        to: Schema.optional(DateTime).annotations({ description: "Exclusive; default now." })
      }))
      .addSuccess(Usage)
      .addError(Failures.of<typeof ApiKeys.usage>()("Forbidden", "InvalidUsageRange", "NotFound", "StorageError"))
      .annotate(OpenApi.Summary, "Requests made with the key, per bucket, by status class and code")
  )
  .middleware(Authentication.Authentication)
  .annotate(OpenApi.Title, "API keys")
  .annotate(OpenApi.Description, "Keys for server-to-server integrations: created, rotated and revoked with a bearer token (the plaintext is shown once); metadata and usage readable with a key of the same client.")
