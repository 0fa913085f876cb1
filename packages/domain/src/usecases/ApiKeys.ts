import { Effect, Either, Option, Redacted, Schema } from "effect"
import * as ApiKey from "../ApiKey.js"
import { type Actor, AuditEvent, CurrentRequest } from "../Audit.js"
import { ApiKeyId, ClientId, type PartnerOrgId } from "../Ids.js"
import type * as Page from "../Page.js"
import * as Policy from "../Policy.js"
import { AuditLog } from "../ports/AuditLog.js"
import { ApiKeyRepo } from "../ports/ApiKeyRepo.js"
import { ApiKeyUsage, type Bucket, type UsageReport } from "../ports/ApiKeyUsage.js"
import { ClientRepo } from "../ports/ClientRepo.js"
import { Clock } from "../ports/Clock.js"
import { IdGenerator } from "../ports/IdGenerator.js"
import { type Digest, Secrets } from "../ports/Secrets.js"
import { Transactor } from "../ports/Transactor.js"
import * as Principal from "../Principal.js"
import * as VerificationFailures from "../VerificationFailures.js"
import type { StorageError } from "../StorageError.js"
import { type Client, DataEnvironment, DisplayName } from "../Tenancy.js"
import * as Access from "./Access.js"
import * as AuditTrail from "./AuditTrail.js"
import * as Directory from "./Directory.js"
import * as Traced from "../Traced.js"

/** A new key for an explicitly selected client. */
export class CreateRequest extends Schema.Class<CreateRequest>("CreateApiKeyRequest")({
  clientId: ClientId,
  name: DisplayName,
  description: ApiKey.Description,
  scope: ApiKey.Scope,
  environment: DataEnvironment,
  expiry: ApiKey.Expiry
}) {}

/** Replaces an active key; `expiry` none keeps the source's expiry. */
export class RotateRequest extends Schema.Class<RotateRequest>("RotateApiKeyRequest")({
  clientId: ClientId,
  keyId: ApiKeyId,
  expiry: Schema.OptionFromSelf(ApiKey.Expiry)
}) {}

/** Permanently disables an active key. */
export class RevokeRequest extends Schema.Class<RevokeRequest>("RevokeApiKeyRequest")({
  clientId: ClientId,
  keyId: ApiKeyId,
  reason: ApiKey.RevokeReason
}) {}

/** A key with its plaintext: the only place the plaintext is ever returned. */
export interface Issued {
  readonly key: ApiKey.Metadata
  readonly plaintext: Redacted.Redacted<string>
}

/** The result of a rotation: the replacement with its plaintext, and the source as it now is. */
export interface Rotated extends Issued {
  readonly previous: ApiKey.Metadata
}

/** The principal a verified key acts as. */
export type KeyPrincipal = Extract<Principal.Principal, { readonly _tag: "ApiKey" }>

// ---------------------------------------------------------------------------------------------
// Helpers

/** Appends one audit event about an API key (inside the caller's transaction, if any). */
const audit = (facts: Omit<AuditTrail.Entry, "targetType"> & { readonly actor: Actor }) =>
  AuditTrail.record(facts.actor, { ...facts, targetType: "api_key" })

/**
 * Records a refused or failed lifecycle request (the transaction, if any, has rolled back by then).
 * Storage failures are not recorded: storage is what failed.
 */
const auditRefusal = (principal: Principal.Principal, action: Policy.Action, clientId: ClientId, keyId: string | null) =>
<A, E extends { readonly _tag: string }, R>(
  effect: Effect.Effect<A, E, R>
) =>
  Effect.tapError(effect, (error) =>
    error._tag === "StorageError" ? Effect.void : audit({
      actor: AuditTrail.actorOf(principal),
      action,
      targetId: keyId,
      clientId: null,
      partnerOrgId: null,
      outcome: error._tag === "NotFound" || error._tag === "Forbidden" ? "denied" : "failure",
      details: { error: error._tag, requestedClientId: clientId }
    }))

/** `length` base62 digits from the CSPRNG, unbiased (see `ApiKey.base62FromBytes`). */
const randomDigits = (secrets: Secrets["Type"], length: number, acc = ""): Effect.Effect<string> =>
  Effect.flatMap(secrets.randomBytes(length - acc.length + 16), (bytes) => {
    const digits = acc + ApiKey.base62FromBytes(bytes, length - acc.length)
    return digits.length >= length ? Effect.succeed(digits) : randomDigits(secrets, length, digits)
  })

/** A new plaintext for `environment` and the digest stored in its place. */
const mintKey = (environment: DataEnvironment) =>
  Effect.gen(function*() {
    const secrets = yield* Secrets
    const minted = ApiKey.mint(environment, yield* randomDigits(secrets, ApiKey.randomDigits))
    const digest = yield* secrets.digest(Redacted.value(minted.plaintext))
    return { minted, digest }
  })

const toMetadata = (key: ApiKey.ApiKey, now: Date, lastUsedAt: Date | null): ApiKey.Metadata =>
  new ApiKey.Metadata({ ...key, state: ApiKey.effectiveStatus(key, now), lastUsedAt }, { disableValidation: true })

const lastUse = (id: ApiKeyId) =>
  Effect.flatMap(ApiKeyUsage, (usage) => Effect.map(usage.lastUsed([id]), (used) => used.get(id) ?? null))

/** The key, if it exists and belongs to the client; `NotFound` otherwise (the two are not told apart). */
const loadKey = (clientId: ClientId, keyId: ApiKeyId, environment?: DataEnvironment) =>
  Effect.flatMap(ApiKeyRepo, (repo) => repo.getWithin(keyId, clientId, environment)).pipe(
    Effect.flatMap((found) =>
      Option.isSome(found) ? Effect.succeed(found.value) : Effect.fail(new Policy.NotFound({ resource: "api_key" }))
    )
  )

const inTransaction = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.flatMap(Transactor, (tx) => tx.withTransaction(effect))

// ---------------------------------------------------------------------------------------------
// Lifecycle (bearer only: the matrix grants apikey.create/rotate/revoke to no key principal)

/** Creates a key for an explicitly selected client; the result holds the only copy of the plaintext. */
export const create = Effect.fnUntraced(
  function*(principal: Principal.Principal, request: CreateRequest) {
    const client = yield* Directory.loadClient(principal, "apikey.create", request.clientId)
    const now = yield* (yield* Clock).now
    const expiresAt = yield* ApiKey.resolveExpiry(request.expiry, now)
    const { digest, minted } = yield* mintKey(request.environment)
    const key = ApiKey.make({
      id: minted.id,
      clientId: client.id,
      name: request.name,
      description: request.description,
      scope: request.scope,
      environment: request.environment,
      prefix: minted.prefix,
      status: "active",
      createdAt: now,
      createdBy: AuditTrail.actorOf(principal),
      expiresAt,
      rotatedFrom: null,
      rotatedTo: null,
      disabledAt: null,
      revokeReason: null
    })
    const repo = yield* ApiKeyRepo
    yield* inTransaction(Effect.zipRight(
      repo.insert({ key, digest }),
      audit({
        actor: key.createdBy,
        action: "apikey.create",
        targetId: key.id,
        clientId: client.id,
        partnerOrgId: client.partnerOrgId,
        outcome: "success",
        details: { scope: key.scope, environment: key.environment, prefix: key.prefix }
      })
    ))
    const issued: Issued = { key: toMetadata(key, now, null), plaintext: minted.plaintext }
    return issued
  },
  (effect, principal, request) => auditRefusal(principal, "apikey.create", request.clientId, null)(effect),
  Traced.span("ApiKeys.create")
)

/**
 * Replaces an active key: the source becomes `rotated` and the replacement (same client, scope,
 * environment, name and description) is created in one compare-and-swap. Of concurrent rotations or
 * revocations of one key exactly one succeeds; the others fail with `ApiKeyConflict`.
 */
export const rotate = Effect.fnUntraced(
  function*(principal: Principal.Principal, request: RotateRequest) {
    const client = yield* Directory.loadClient(principal, "apikey.rotate", request.clientId)
    const source = yield* loadKey(client.id, request.keyId)
    const now = yield* (yield* Clock).now
    if (!ApiKey.canRotate(source, now)) {
      return yield* new ApiKey.ApiKeyConflict({ keyId: source.id, status: ApiKey.effectiveStatus(source, now) })
    }
    const expiresAt = Option.isSome(request.expiry)
      ? yield* ApiKey.resolveExpiry(request.expiry.value, now)
      : source.expiresAt
    const { digest, minted } = yield* mintKey(source.environment)
    const replacement = ApiKey.make({
      ...source,
      id: minted.id,
      prefix: minted.prefix,
      status: "active",
      createdAt: now,
      createdBy: AuditTrail.actorOf(principal),
      expiresAt,
      rotatedFrom: source.id,
      rotatedTo: null,
      disabledAt: null,
      revokeReason: null
    })
    const repo = yield* ApiKeyRepo
    const previous = yield* inTransaction(Effect.tap(
      repo.rotate(source.id, { key: replacement, digest }, now),
      audit({
        actor: replacement.createdBy,
        action: "apikey.rotate",
        targetId: source.id,
        clientId: client.id,
        partnerOrgId: client.partnerOrgId,
        outcome: "success",
        details: { replacement: replacement.id, prefix: replacement.prefix }
      })
    ))
    const rotated: Rotated = {
      key: toMetadata(replacement, now, null),
      plaintext: minted.plaintext,
      previous: toMetadata(previous, now, yield* lastUse(previous.id))
    }
    return rotated
  },
  (effect, principal, request) => auditRefusal(principal, "apikey.rotate", request.clientId, request.keyId)(effect),
  Traced.span("ApiKeys.rotate")
)

/** Permanently disables an active key (an expired one included); `ApiKeyConflict` if it is rotated or revoked. */
export const revoke = Effect.fnUntraced(
  function*(principal: Principal.Principal, request: RevokeRequest) {
    const client = yield* Directory.loadClient(principal, "apikey.revoke", request.clientId)
    const source = yield* loadKey(client.id, request.keyId)
    const now = yield* (yield* Clock).now
    const repo = yield* ApiKeyRepo
    const revoked = yield* inTransaction(Effect.tap(
      repo.revoke(source.id, request.reason, now),
      audit({
        actor: AuditTrail.actorOf(principal),
        action: "apikey.revoke",
        targetId: source.id,
        clientId: client.id,
        partnerOrgId: client.partnerOrgId,
        outcome: "success",
        details: { reason: request.reason }
      })
    ))
    return toMetadata(revoked, now, yield* lastUse(revoked.id))
  },
  (effect, principal, request) => auditRefusal(principal, "apikey.revoke", request.clientId, request.keyId)(effect),
  Traced.span("ApiKeys.revoke")
)

// ---------------------------------------------------------------------------------------------
// Inventory (apikey.view: bearer roles per the matrix, and a key for its own client)

/** The environment whose keys a principal may see: an API key sees only its own environment's keys. */
const visibleEnvironment = (principal: Principal.Principal): DataEnvironment | undefined =>
  principal._tag === "ApiKey" ? principal.environment : undefined

/**
 * A key the principal may view: its client in scope and, for an API key, its own environment; else `NotFound`.
 * The read is scoped to the client (and environment), so another client's key, or one of another
 * environment, returns nothing from storage, as a missing one does.
 */
const loadVisibleKey = (principal: Principal.Principal, client: Client, keyId: ApiKeyId) =>
  Effect.tap(
    loadKey(client.id, keyId, visibleEnvironment(principal)),
    (key) => Access.require(principal, "apikey.view", Policy.clientTarget(client, key.environment), "api_key")
  )

/** The client's keys, every state, one page in id order (an API key sees its own environment's only). */
export const list = Effect.fnUntraced(
  function*(principal: Principal.Principal, clientId: ClientId, page: Page.PageRequest) {
    yield* Directory.loadClient(principal, "apikey.view", clientId)
    const result = yield* (yield* ApiKeyRepo).list(clientId, page, visibleEnvironment(principal))
    const used = yield* (yield* ApiKeyUsage).lastUsed(result.items.map((k) => k.id))
    const now = yield* (yield* Clock).now
    const listed: Page.Page<ApiKey.Metadata> = {
      items: result.items.map((k) => toMetadata(k, now, used.get(k.id) ?? null)),
      next: result.next
    }
    return listed
  },
  Traced.span("ApiKeys.list")
)

/** One key's metadata. */
export const get = Effect.fnUntraced(
  function*(principal: Principal.Principal, clientId: ClientId, keyId: ApiKeyId) {
    const client = yield* Directory.loadClient(principal, "apikey.view", clientId)
    const key = yield* loadVisibleKey(principal, client, keyId)
    return toMetadata(key, yield* (yield* Clock).now, yield* lastUse(key.id))
  },
  Traced.span("ApiKeys.get")
)

const hour = 3_600_000
const day = 24 * hour

/** The range a usage query covers by default, and the longest it may cover, per bucket. */
export const usageRanges: Record<Bucket, { readonly defaultMs: number; readonly maxMs: number }> = {
  minute: { defaultMs: hour, maxMs: 7 * day },
  hour: { defaultMs: day, maxMs: 93 * day },
  day: { defaultMs: 30 * day, maxMs: 3660 * day }
}

/** What a usage query asks for; each part has a default (hourly buckets, up to now, the bucket's default range). */
export interface UsageQuery {
  readonly bucket?: Bucket | undefined
  readonly from?: Date | undefined
  readonly to?: Date | undefined
}

/** A key's usage and the range it covers. */
export interface Usage {
  readonly report: UsageReport
  readonly from: Date
  readonly to: Date
}

/**
 * One key's usage over `[from, to)` in buckets (`apikey.view`). The range is checked first: ordered,
 * and at most as long as its bucket allows (`usageRanges`).
 */
export const usage = Effect.fnUntraced(
  function*(principal: Principal.Principal, clientId: ClientId, keyId: ApiKeyId, query: UsageQuery) {
    const bucket = query.bucket ?? "hour"
    const range = usageRanges[bucket]
    const to = query.to ?? (yield* (yield* Clock).now)
    const from = query.from ?? new Date(to.getTime() - range.defaultMs)
    if (from.getTime() >= to.getTime()) return yield* new ApiKey.InvalidUsageRange({ bucket, maxDays: null })
    if (to.getTime() - from.getTime() > range.maxMs) {
      return yield* new ApiKey.InvalidUsageRange({ bucket, maxDays: range.maxMs / day })
    }
    const client = yield* Directory.loadClient(principal, "apikey.view", clientId)
    const key = yield* loadVisibleKey(principal, client, keyId)
    const report = yield* (yield* ApiKeyUsage).query(key.id, bucket, from, to)
    return { report, from, to } satisfies Usage
  },
  Traced.span("ApiKeys.usage")
)

// ---------------------------------------------------------------------------------------------
// Verification: the hot path of every API call

/**
 * Checks a presented key for a request; whatever the reason, a refusal is one `InvalidApiKey` (the reason is
 * audited, stamped with the request's id). The request is an argument rather than a service: verification runs
 * on every request, before the handler's services are in place, and a refusal is its only use.
 */
export type Verify = (
  plaintext: Redacted.Redacted<string>,
  request: CurrentRequest["Type"]
) => Effect.Effect<KeyPrincipal, ApiKey.InvalidApiKey | StorageError>

/** A digest no plaintext has, compared against when the key id is unknown so both paths hash once. */
const unknownDigest: Digest = { version: 1, hex: "0".repeat(64) }

/**
 * Builds the verifier once (services resolved up front): parse and checksum, one repository read,
 * one constant-time digest comparison, then pure status, expiry and client checks. It never writes
 * on success. A refusal is counted against the failure limits of `VerificationFailures` (past them it is
 * `InvalidApiKey` with `throttledForSeconds` and writes nothing), and its audit event is coalesced: at
 * most one per key and reason per interval, with a count, stamped with the key's client and that
 * client's partner organisation (read on this path only) so the partner's audit trail shows it.
 */
export const makeVerifier: Effect.Effect<Verify, never, ApiKeyRepo | ClientRepo | Secrets | Clock | AuditLog | IdGenerator> =
  Effect.map(
    Effect.all([ApiKeyRepo, ClientRepo, Secrets, Clock, AuditLog, IdGenerator, VerificationFailures.FailurePolicy]),
    ([repo, clients, secrets, clock, log, ids, policy]) => {
      const failures = VerificationFailures.make(policy)
      const partnerOrgOf = (clientId: ClientId | null): Effect.Effect<PartnerOrgId | null, StorageError> =>
        clientId === null
          ? Effect.succeed(null)
          : Effect.map(clients.get(clientId), (client) => Option.isSome(client) ? client.value.partnerOrgId : null)
      const audit = (
        reason: ApiKey.Rejection,
        parsed: ApiKey.Parsed | null,
        clientId: ClientId | null,
        at: Date,
        count: number,
        request: CurrentRequest["Type"]
      ): Effect.Effect<void, StorageError> =>
        Effect.all([ids.make("auditEvent"), partnerOrgOf(clientId)]).pipe(
          Effect.flatMap(([id, partnerOrgId]) =>
            log.append(
              new AuditEvent({
                id,
                at,
                actor: { kind: "anonymous", id: null },
                action: "apikey.verify",
                targetType: "api_key",
                targetId: parsed === null ? null : parsed.id,
                clientId,
                partnerOrgId,
                outcome: "denied",
                requestId: request.requestId,
                details: parsed === null
                  ? { reason, count: String(count) }
                  : { reason, prefix: parsed.prefix, count: String(count) }
              })
            )
          )
        )
      /** Throttled failures write nothing; the others write at most one coalesced event per bucket and interval. */
      const refuse = (
        reason: ApiKey.Rejection,
        parsed: ApiKey.Parsed | null,
        clientId: ClientId | null,
        request: CurrentRequest["Type"]
      ): Effect.Effect<never, ApiKey.InvalidApiKey | StorageError> =>
        Effect.flatMap(clock.now, (at) => {
          const outcome = failures.record(at.getTime(), parsed === null ? null : parsed.id, clientId, reason)
          const invalid = outcome.throttledForSeconds === null
            ? new ApiKey.InvalidApiKey()
            : new ApiKey.InvalidApiKey({ throttledForSeconds: outcome.throttledForSeconds })
          return outcome.audit === null
            ? Effect.fail(invalid)
            : Effect.zipRight(audit(reason, parsed, clientId, at, outcome.audit.count, request), Effect.fail(invalid))
        })
      return (plaintext, request) => {
        const token = Redacted.value(plaintext)
        const parsed = ApiKey.parse(token)
        if (Either.isLeft(parsed)) return refuse(parsed.left, null, null, request)
        const key = parsed.right
        return Effect.flatMap(repo.findForVerification(key.id), (found) => {
          if (Option.isNone(found)) {
            return Effect.flatMap(secrets.matches(token, unknownDigest), () => refuse("unknown", key, null, request))
          }
          const row = found.value
          return Effect.flatMap(secrets.matches(token, row.digest), (matches) => {
            if (!matches || row.environment !== key.environment) return refuse("mismatch", key, row.clientId, request)
            return Effect.flatMap(clock.now, (now) => {
              const why = ApiKey.rejection(row, now, row.clientStatus)
              return Option.isSome(why)
                ? refuse(why.value, key, row.clientId, request)
                : Effect.succeed(
                  Principal.ApiKey({ keyId: row.id, clientId: row.clientId, environment: row.environment, scope: row.scope })
                )
            })
          })
        })
      }
    }
  )

/** Verifies one key (builds the verifier each call; servers should build it once with `makeVerifier`). */
export const verify = (plaintext: Redacted.Redacted<string>) =>
  Effect.flatMap(Effect.all([makeVerifier, CurrentRequest]), ([v, request]) => v(plaintext, request))
