/** Handlers for `ApiKeysApi`: thin translations between HTTP shapes and the `ApiKeys` use cases. */
import { HttpApiBuilder } from "@effect/platform"
import {
  type ApiKey,
  ApiKeys,
  type ApiKeyUsage
} from "@aidial/domain"
import { Effect, Option } from "effect"
import { Api, type Group } from "./Api.js"
import type * as ApiKeysApi from "./ApiKeysApi.js"
import { CurrentPrincipal } from "./Authentication.js"
import * as Cursor from "./Cursor.js"
import * as Problem from "./Problem.js"

const iso = (date: Date | null): string | null => (date === null ? null : date.toISOString())

/** The JSON form of a key's metadata: never the digest, never the plaintext. */
export const metadata = (key: ApiKey.Metadata): typeof ApiKeysApi.Metadata.Type => ({
  key_id: key.id,
  client_id: key.clientId,
  name: key.name,
  description: key.description,
  scope: key.scope,
  environment: key.environment,
  prefix: key.prefix,
  status: key.state,
  created_at: key.createdAt.toISOString(),
  created_by: key.createdBy,
  expires_at: iso(key.expiresAt),
  last_used_at: iso(key.lastUsedAt),
  rotated_from: key.rotatedFrom,
  rotated_to: key.rotatedTo,
  disabled_at: iso(key.disabledAt),
  revoke_reason: key.revokeReason
})

/** The domain expiry a request's `expires` asks for. */
export const expiry = (expires: typeof ApiKeysApi.Expires.Type): ApiKey.Expiry =>
  expires === "never"
    ? { _tag: "Never" }
    : typeof expires === "number"
    ? { _tag: "InDays", days: expires }
    : { _tag: "At", at: expires }

/** The JSON form of a usage report. */
export const usage = (report: ApiKeyUsage.UsageReport, from: Date, to: Date): typeof ApiKeysApi.Usage.Type => ({
  key_id: report.keyId,
  bucket: report.bucket,
  from: from.toISOString(),
  to: to.toISOString(),
  total: report.total,
  last_used_at: iso(report.lastUsedAt),
  counts: report.counts.map((c) => ({
    start: c.start.toISOString(),
    total: c.total,
    count_2xx: c.success,
    count_4xx: c.clientError,
    count_5xx: c.serverError,
    by_status: c.byStatus
  }))
})

/** The API-key handlers. */
export const layer: Group<"apiKeys"> = HttpApiBuilder.group(Api, "apiKeys", (handlers) =>
  handlers
    .handle("create", ({ path, payload }) =>
      CurrentPrincipal.pipe(
        Effect.flatMap((principal) =>
          ApiKeys.create(
            principal,
            new ApiKeys.CreateRequest({
              clientId: path.clientId,
              name: payload.name,
              description: payload.description ?? "",
              scope: payload.scope,
              environment: payload.environment,
              expiry: expiry(payload.expires ?? "never")
            }, { disableValidation: true })
          )
        ),
        Effect.map((issued) => ({ api_key: metadata(issued.key), plaintext: issued.plaintext })),
        Problem.refail
      ))
    .handle("list", ({ path, urlParams }) =>
      CurrentPrincipal.pipe(
        Effect.flatMap((principal) => ApiKeys.list(principal, path.clientId, Cursor.pageRequest(urlParams))),
        Effect.map((page) => ({ api_keys: page.items.map(metadata), next_cursor: Cursor.next(page) })),
        Problem.refail
      ))
    .handle("get", ({ path }) =>
      CurrentPrincipal.pipe(
        Effect.flatMap((principal) => ApiKeys.get(principal, path.clientId, path.keyId)),
        Effect.map(metadata),
        Problem.refail
      ))
    .handle("rotate", ({ path, payload }) =>
      CurrentPrincipal.pipe(
        Effect.flatMap((principal) =>
          ApiKeys.rotate(
            principal,
            new ApiKeys.RotateRequest({
              clientId: path.clientId,
              keyId: path.keyId,
              expiry: Option.map(Option.fromNullable(payload?.expires), expiry)
            }, { disableValidation: true })
          )
        ),
        Effect.map((rotated) => ({
          api_key: metadata(rotated.key),
          plaintext: rotated.plaintext,
          previous: metadata(rotated.previous)
        })),
        Problem.refail
      ))
    .handle("revoke", ({ path, payload }) =>
      CurrentPrincipal.pipe(
        Effect.flatMap((principal) =>
          ApiKeys.revoke(
            principal,
            new ApiKeys.RevokeRequest({ clientId: path.clientId, keyId: path.keyId, reason: payload.reason }, {
              disableValidation: true
            })
          )
        ),
        Effect.map(metadata),
        Problem.refail
      ))
    .handle("usage", ({ path, urlParams }) =>
      CurrentPrincipal.pipe(
        Effect.flatMap((principal) =>
          ApiKeys.usage(principal, path.clientId, path.keyId, { bucket: urlParams.bucket, from: urlParams.from, to: urlParams.to })
        ),
        Effect.map(({ from, report, to }) => usage(report, from, to)),
        Problem.refail
      )))

