import {
  type ApiKey,
  type ApiKeyRepo,
  type ApiKeyUsage,
  type Audit,
  AuditLog,
  type ClientRepo,
  type Clock,
  type IdGenerator,
  Ids,
  type Page,
  Principal,
  type Secrets,
  type StorageError,
  type Transactor
} from "@aidial/domain"
import { Effect, Either } from "effect"
import type { StoredRows } from "../../MemoryApiKeyRepo.js"
import type { TestClock } from "../../TestClock.js"

/** What the adapter under test provides. */
export type Provided =
  | ApiKeyRepo.ApiKeyRepo
  | ApiKeyUsage.ApiKeyUsage
  | ClientRepo.ClientRepo
  | Transactor.Transactor
  | AuditLog.AuditLog
  | Secrets.Secrets
  | IdGenerator.IdGenerator
  | StoredRows

/** What the commands run against: the adapter plus a test clock and a current request. */
export type Services = Provided | Clock.Clock | TestClock | Audit.CurrentRequest

/** One key as the model sees it. */
export interface ModelKey {
  readonly id: Ids.ApiKeyId
  readonly clientIndex: number
  readonly plaintext: string
  readonly scope: ApiKey.Scope
  readonly environment: "live" | "test"
  status: ApiKey.Status
  /** Milliseconds, or `null` for never. */
  expiresAt: number | null
}

export interface Model {
  now: number
  readonly keys: Array<ModelKey>
  readonly archived: Set<number>
}

export interface Real {
  readonly run: <A, E>(effect: Effect.Effect<A, E, Services>) => Promise<A>
  readonly clientIds: ReadonlyArray<Ids.ClientId>
  /** Every log line written so far. */
  readonly lines: Array<string>
}

export const partnerOrgId = Ids.PartnerOrgId.make("org_model")

/** The partner_admin who manages every key in the model. */
export const manager = Principal.PartnerUser({
  userId: Ids.UserId.make("usr_model"),
  role: "partner_admin",
  partnerOrgId,
  partnerOrgStatus: "active",
  assignedClientIds: new Set()
})

export const isUsable = (model: Model, key: ModelKey): boolean =>
  key.status === "active" && (key.expiresAt === null || model.now < key.expiresAt) && !model.archived.has(key.clientIndex)

/** The `_tag` of the failure, or "ok". */
export const outcome = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.either(effect), (r) => (Either.isLeft(r) ? r.left._tag : "ok"))

/** Every audit event, read page by page. */
export const allEvents: Effect.Effect<
  ReadonlyArray<Audit.AuditEvent>,
  StorageError.StorageError,
  AuditLog.AuditLog
> = Effect.gen(function*() {
  const log = yield* AuditLog.AuditLog
  const events: Array<Audit.AuditEvent> = []
  let after: string | null = null
  do {
    const page: Page.Page<Audit.AuditEvent> = yield* log.query({}, { after, limit: 200 })
    events.push(...page.items)
    after = page.next
  } while (after !== null)
  return events
})
