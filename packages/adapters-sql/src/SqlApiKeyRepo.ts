import { ApiKey, ApiKeyRepo, BoundedCache, Ids, Page, StorageError, Transactor } from "@aidial/domain"
import type { Statement } from "better-sqlite3"
import { type Context, Effect, Layer, Option } from "effect"
import { type Kysely, type Selectable, sql } from "kysely"
import type { ApiKeysTable, Database } from "./Database.js"
import * as Limit from "./internal/Limit.js"
import * as Rows from "./internal/Rows.js"
import * as SeenRecently from "./internal/SeenRecently.js"
import { KyselyClient } from "./KyselyClient.js"
import * as Prepared from "./internal/Prepared.js"
import * as SqlTransactor from "./SqlTransactor.js"

const decodeApiKey = Rows.decode(ApiKey.ApiKey, "api key")

// ---------------------------------------------------------------------------------------------
// Rows

const toDomain = (row: Selectable<ApiKeysTable>) =>
  decodeApiKey({
    id: row.id,
    clientId: row.client_id,
    name: row.name,
    description: row.description,
    scope: row.scope,
    environment: row.environment,
    prefix: row.prefix,
    status: row.status,
    createdAt: new Date(row.created_at),
    createdBy: { kind: row.created_by_kind, id: row.created_by_id },
    expiresAt: row.expires_at === null ? null : new Date(row.expires_at),
    rotatedFrom: row.rotated_from,
    rotatedTo: row.rotated_to,
    disabledAt: row.disabled_at === null ? null : new Date(row.disabled_at),
    revokeReason: row.revoked_reason
  })

const toRow = ({ digest, key }: ApiKeyRepo.StoredApiKey): ApiKeysTable => ({
  id: key.id,
  client_id: key.clientId,
  name: key.name,
  description: key.description,
  scope: key.scope,
  environment: key.environment,
  prefix: key.prefix,
  digest_version: digest.version,
  digest_hex: digest.hex,
  status: key.status,
  created_at: key.createdAt.getTime(),
  created_by_kind: key.createdBy.kind,
  created_by_id: key.createdBy.id,
  expires_at: key.expiresAt === null ? null : key.expiresAt.getTime(),
  rotated_from: key.rotatedFrom,
  rotated_to: key.rotatedTo,
  disabled_at: key.disabledAt === null ? null : key.disabledAt.getTime(),
  revoked_reason: key.revokeReason
})

// ---------------------------------------------------------------------------------------------
// The verification read: hand-decoded, since it runs on every API call

/** What the verification read returns, as the driver gives it. */
interface VerificationRow {
  readonly digest_version: number
  readonly digest_hex: string
  readonly status: string
  readonly expires_at: number | null
  readonly client_id: string
  /** `null` when the client row is missing, which the join in the Kysely form also reads as no key. */
  readonly client_status: string | null
  readonly scope: string
  readonly environment: string
  /** The connection's `PRAGMA data_version`, read in the same statement and so at the same snapshot as the row. */
  readonly data_version?: number
}

/**
 * The verification read, written once: the key's row with its client's status (a scalar subquery, measured
 * slightly faster than a join on SQLite; a missing client reads as `null`, which counts as no key) and,
 * when `versioned`, the connection's `PRAGMA data_version` read in the same statement, so at the same
 * snapshot as the row (SQLite only). Kysely runs it on PostgreSQL and inside transactions; on SQLite its
 * compiled SQL is prepared once (`id` is its one parameter).
 */
const verificationRead = (db: Kysely<Database>, id: string, versioned: boolean) => {
  const query = db
    .selectFrom("api_keys as k")
    .select((eb) => [
      "k.digest_version",
      "k.digest_hex",
      "k.status",
      "k.expires_at",
      "k.client_id",
      eb.selectFrom("clients as c").select("c.status").whereRef("c.id", "=", "k.client_id").as("client_status"),
      "k.scope",
      "k.environment"
    ])
    .where("k.id", "=", id)
  return versioned ? query.select(sql<number>`(select data_version from pragma_data_version)`.as("data_version")) : query
}

const isStatus = (s: string): s is ApiKey.Status => s === "active" || s === "rotated" || s === "revoked"
const isClientStatus = (s: string): s is "active" | "archived" => s === "active" || s === "archived"
const isScope = (s: string): s is ApiKey.Scope => s === "read" || s === "manage"
const isEnvironment = (s: string): s is "live" | "test" => s === "live" || s === "test"

const invalidVerificationRow = (id: Ids.ApiKeyId) =>
  Effect.fail(new StorageError.StorageError({ message: `stored api key ${id} is invalid` }))

const toVerification = (
  id: Ids.ApiKeyId,
  row: VerificationRow | undefined
): Effect.Effect<Option.Option<ApiKeyRepo.Verification>, StorageError.StorageError> => {
  if (row === undefined || row.client_status === null) return Effect.succeedNone
  const { client_status, environment, scope, status } = row
  if (!isStatus(status) || !isClientStatus(client_status) || !isScope(scope) || !isEnvironment(environment)) {
    return invalidVerificationRow(id)
  }
  return Effect.succeed(Option.some({
    id,
    digest: { version: row.digest_version, hex: row.digest_hex },
    status,
    expiresAt: row.expires_at === null ? null : new Date(row.expires_at),
    clientId: Ids.ClientId.make(row.client_id, { disableValidation: true }),
    clientStatus: client_status,
    scope,
    environment
  }))
}

/** At most this many verified keys are remembered between two changes of the database. */
export const verificationCacheCapacity = 10_000

/** A key is remembered when it comes back within this many reads of other keys not remembered. */
const rememberWithin = 10_000

/**
 * The verification read on SQLite without Kysely: a prepared statement, cached. On a file database it
 * runs on the read-only connection (committed rows only). On an in-memory database it runs on the one
 * connection only while no transaction is open there; otherwise it returns `null` and the caller
 * queries through Kysely, which waits for that transaction to end.
 *
 * On a file database the rows of keys found are also remembered until the database changes: the
 * read-only connection's `PRAGMA data_version` moves with every commit made by any other connection,
 * in this process or another, and the remembered rows are dropped as soon as it does. So a rotation,
 * revocation or client archive is seen by the very next verification in every process sharing the
 * file; expiry is judged against the clock on every call, never remembered.
 *
 * A remembered key costs one `PRAGMA data_version`. A key is remembered on its second read within
 * `rememberWithin` reads (`SeenRecently`), so a stream of keys each presented once fills no cache; that
 * second read takes the row and the version in one statement (one snapshot), so every remembered row was
 * read at the version `seen`.
 */
const makePreparedRead = (
  db: Kysely<Database>,
  handles: NonNullable<Context.Tag.Service<KyselyClient>["sqlite"]>
) => {
  const connection = handles.reader ?? handles.writer
  const reader = handles.reader
  let plain: Statement<[string], VerificationRow> | null = null
  let versioned: Statement<[string], VerificationRow> | null = null
  let dataVersion: Statement<[], number> | null = null
  let seen: number | undefined = undefined
  const remembered = BoundedCache.make<string, Effect.Effect<Option.Option<ApiKeyRepo.Verification>, StorageError.StorageError>>(
    verificationCacheCapacity
  )
  const recently = SeenRecently.make(1 << 16, rememberWithin)
  return (id: Ids.ApiKeyId): Effect.Effect<Option.Option<ApiKeyRepo.Verification>, StorageError.StorageError> | null => {
    if (reader === null && handles.writer.inTransaction) return null
    let row: VerificationRow | undefined
    let remember = false
    try {
      if (reader !== null) {
        const hit = remembered.get(id)
        if (hit !== undefined) {
          dataVersion ??= reader.prepare<[], number>("PRAGMA data_version").pluck()
          if (dataVersion.get() === seen) return hit
          remembered.clear()
          remember = true
        } else {
          remember = recently.check(id)
        }
      }
      if (remember) {
        versioned ??= connection.prepare<[string], VerificationRow>(verificationRead(db, id, true).compile().sql)
        row = versioned.get(id)
      } else {
        plain ??= connection.prepare<[string], VerificationRow>(verificationRead(db, id, false).compile().sql)
        row = plain.get(id)
      }
    } catch (error) {
      return Effect.fail(new StorageError.StorageError({ message: "cannot read api key for verification", cause: error }))
    }
    const result = toVerification(id, row)
    if (remember && row !== undefined && row.client_status !== null) {
      if (row.data_version !== seen) {
        remembered.clear()
        seen = row.data_version
      }
      remembered.set(id, result)
    }
    return result
  }
}

// ---------------------------------------------------------------------------------------------
// Transitions

/** A second rotation of one key broke the one-replacement-per-key index (PostgreSQL or SQLite wording). */
const violatesOneReplacement = (cause: unknown): boolean => {
  if (typeof cause !== "object" || cause === null) return false
  if ("constraint" in cause && cause.constraint === "api_keys_rotated_from") return true
  return "message" in cause && typeof cause.message === "string" && cause.message.includes("api_keys.rotated_from")
}

/**
 * API keys in the `api_keys` table. Rotation and revocation are compare-and-swap updates on
 * `status = 'active'`: on PostgreSQL the updated row stays locked until commit, so a concurrent
 * transition waits, re-reads the row and finds it no longer active; on SQLite writers are serialised.
 * Rotation runs in the open transaction, or in its own. Verification only reads: on SQLite through a
 * cached prepared statement whose results are remembered until the database changes, on PostgreSQL
 * one parameterised query through the pool.
 */
export const layer: Layer.Layer<ApiKeyRepo.ApiKeyRepo, never, KyselyClient | Transactor.Transactor> = Layer.effect(
  ApiKeyRepo.ApiKeyRepo,
  Effect.gen(function*() {
    const client = yield* KyselyClient
    const tx = yield* Transactor.Transactor
    const run = SqlTransactor.runner(client)
    const write = Prepared.writer(client)
    const current = SqlTransactor.currentOf(client)
    const prepared = client.sqlite === null ? null : makePreparedRead(client.db, client.sqlite)

    const viaKysely = (db: Kysely<Database>, id: Ids.ApiKeyId) =>
      Effect.tryPromise({
        try: () => verificationRead(db, id, false).executeTakeFirst(),
        catch: StorageError.StorageError.refail("cannot read api key for verification")
      }).pipe(Effect.flatMap((row) => toVerification(id, row)))

    /** The conflict for a key whose compare-and-swap matched no row: its current status, or `missing`. */
    const conflict = (id: Ids.ApiKeyId) =>
      run("cannot read api key status", (db) => db.selectFrom("api_keys").select("status").where("id", "=", id).executeTakeFirst())
        .pipe(Effect.flatMap((row) => Effect.fail(new ApiKey.ApiKeyConflict({ keyId: id, status: row?.status ?? "missing" }))))

    return ApiKeyRepo.ApiKeyRepo.of({
      get: (id) =>
        run("cannot read api key", (db) => db.selectFrom("api_keys").selectAll().where("id", "=", id).executeTakeFirst())
          .pipe(Effect.flatMap(Rows.decodeOption(toDomain))),
      getWithin: (id, clientId, environment) =>
        run("cannot read api key", (db) => {
          let query = db.selectFrom("api_keys").selectAll().where("id", "=", id).where("client_id", "=", clientId)
          if (environment !== undefined) query = query.where("environment", "=", environment)
          return query.executeTakeFirst()
        }).pipe(Effect.flatMap(Rows.decodeOption(toDomain))),
      findForVerification: (id) =>
        SqlTransactor.withCurrent(client, (db) => {
          if (db === client.db && prepared !== null) return prepared(id) ?? viaKysely(db, id)
          return viaKysely(db, id)
        }),
      insert: (stored) =>
        Effect.asVoid(write("cannot insert api key", (db, v) => db.insertInto("api_keys").values(v), {
          key: "insert",
          values: { ...toRow(stored) }
        })),
      list: (clientId, page, environment) =>
        run("cannot list api keys", (db) => {
          let query = db.selectFrom("api_keys").selectAll().where("client_id", "=", clientId)
          if (environment !== undefined) query = query.where("environment", "=", environment)
          if (page.after !== null) query = query.where("id", ">", page.after)
          return query.orderBy("id").limit(Limit.of(page.limit + 1)).execute()
        }).pipe(
          Effect.flatMap(Rows.decodeAll(toDomain)),
          Effect.map((rows) => Page.fromRows(rows, page.limit))
        ),
      rotate: (sourceId, replacement, at) =>
        tx.withTransaction(Effect.gen(function*() {
          const updated = yield* run("cannot rotate api key", (db) =>
            db
              .updateTable("api_keys")
              .set({ status: "rotated", rotated_to: replacement.key.id, disabled_at: at.getTime() })
              .where("id", "=", sourceId)
              .where("status", "=", "active")
              .returningAll()
              .executeTakeFirst())
          if (updated === undefined) return yield* conflict(sourceId)
          yield* Effect.flatMap(current, (db) =>
            Effect.tryPromise({
              try: () => db.insertInto("api_keys").values(toRow(replacement)).execute(),
              catch: (cause): ApiKey.ApiKeyConflict | StorageError.StorageError =>
                violatesOneReplacement(cause)
                  ? new ApiKey.ApiKeyConflict({ keyId: sourceId, status: "rotated" })
                  : new StorageError.StorageError({ message: "cannot insert the replacement api key", cause })
            }))
          return yield* toDomain(updated)
        })),
      revoke: (id, reason, at) =>
        run("cannot revoke api key", (db) =>
          db
            .updateTable("api_keys")
            .set({ status: "revoked", revoked_reason: reason, disabled_at: at.getTime() })
            .where("id", "=", id)
            .where("status", "=", "active")
            .returningAll()
            .executeTakeFirst()).pipe(
            Effect.flatMap((row) => (row === undefined ? conflict(id) : toDomain(row)))
          )
    })
  })
)
