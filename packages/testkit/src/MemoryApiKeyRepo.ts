import { ApiKey, ApiKeyRepo, ClientRepo, StorageError } from "@aidial/domain"
import { Context, Effect, Either, FiberRef, Layer, Option } from "effect"
import * as Journal from "./internal/Journal.js"
import { pageOf } from "./internal/pageOf.js"

/** Every value an API-key store holds, serialised, so tests can check that no plaintext was stored. */
export class StoredRows extends Context.Tag("@aidial/testkit/ApiKeyStoredRows")<StoredRows, {
  /** All stored rows as one string (JSON for memory; a table dump for SQL). */
  readonly dump: Effect.Effect<string, StorageError.StorageError>
}>() {}

/**
 * Keys in a `Map`, for tests and prototypes. Each compare-and-swap checks and writes in one
 * synchronous step, so it is atomic whatever the fibers around it do, and its writes are journaled
 * so that a rolled-back memory transaction undoes them.
 */
export const layerMemory: Layer.Layer<ApiKeyRepo.ApiKeyRepo | StoredRows, never, ClientRepo.ClientRepo> = Layer
  .effectContext(
    Effect.gen(function*() {
      const clients = yield* ClientRepo.ClientRepo
      const rows = new Map<string, ApiKeyRepo.StoredApiKey>()

      /** Runs `step` atomically; on success its undo joins the open transaction, if any. */
      const atomically = <A, E>(step: () => Either.Either<{ readonly result: A; readonly undo: () => void }, E>) =>
        Effect.flatMap(FiberRef.get(Journal.current), (journal) =>
          Effect.suspend(() => {
            const outcome = step()
            if (Either.isLeft(outcome)) return Effect.fail(outcome.left)
            journal?.push(outcome.right.undo)
            return Effect.succeed(outcome.right.result)
          }))

      const restore = (id: string, previous: ApiKeyRepo.StoredApiKey | undefined) => () =>
        void (previous === undefined ? rows.delete(id) : rows.set(id, previous))

      const duplicate = (id: string) => new StorageError.StorageError({ message: `duplicate api key id ${id}` })
      const conflict = (id: ApiKey.ApiKey["id"], row: ApiKeyRepo.StoredApiKey | undefined) =>
        new ApiKey.ApiKeyConflict({ keyId: id, status: row === undefined ? "missing" : row.key.status })

      const repo = ApiKeyRepo.ApiKeyRepo.of({
        get: (id) => Effect.sync(() => Option.map(Option.fromNullable(rows.get(id)), (row) => row.key)),
        getWithin: (id, clientId, environment) =>
          Effect.sync(() =>
            Option.filter(
              Option.map(Option.fromNullable(rows.get(id)), (row) => row.key),
              (key) => key.clientId === clientId && (environment === undefined || key.environment === environment)
            )
          ),
        findForVerification: (id) =>
          Effect.suspend(() => {
            const row = rows.get(id)
            if (row === undefined) return Effect.succeed(Option.none())
            return Effect.map(clients.get(row.key.clientId), Option.map((client): ApiKeyRepo.Verification => ({
              id: row.key.id,
              digest: row.digest,
              status: row.key.status,
              expiresAt: row.key.expiresAt,
              clientId: row.key.clientId,
              clientStatus: client.status,
              scope: row.key.scope,
              environment: row.key.environment
            })))
          }),
        insert: (stored) =>
          atomically(() => {
            if (rows.has(stored.key.id)) return Either.left(duplicate(stored.key.id))
            rows.set(stored.key.id, stored)
            return Either.right({ result: undefined, undo: restore(stored.key.id, undefined) })
          }),
        list: (clientId, page, environment) =>
          Effect.sync(() =>
            pageOf(
              [...rows.values()].map((row) => row.key),
              (key) => key.clientId === clientId && (environment === undefined || key.environment === environment),
              page
            )
          ),
        rotate: (sourceId, replacement, at) =>
          atomically<ApiKey.ApiKey, ApiKey.ApiKeyConflict | StorageError.StorageError>(() => {
            const source = rows.get(sourceId)
            if (source === undefined || source.key.status !== "active") return Either.left(conflict(sourceId, source))
            if (rows.has(replacement.key.id)) return Either.left(duplicate(replacement.key.id))
            const rotated = ApiKey.markRotated(source.key, replacement.key.id, at)
            rows.set(sourceId, { key: rotated, digest: source.digest })
            rows.set(replacement.key.id, replacement)
            const undoSource = restore(sourceId, source)
            const undoReplacement = restore(replacement.key.id, undefined)
            return Either.right({ result: rotated, undo: () => (undoReplacement(), undoSource()) })
          }),
        revoke: (id, reason, at) =>
          atomically<ApiKey.ApiKey, ApiKey.ApiKeyConflict>(() => {
            const row = rows.get(id)
            if (row === undefined || row.key.status !== "active") return Either.left(conflict(id, row))
            const revoked = ApiKey.markRevoked(row.key, reason, at)
            rows.set(id, { key: revoked, digest: row.digest })
            return Either.right({ result: revoked, undo: restore(id, row) })
          })
      })

      const stored = StoredRows.of({
        dump: Effect.sync(() => JSON.stringify([...rows.values()]))
      })
      return Context.make(ApiKeyRepo.ApiKeyRepo, repo).pipe(Context.add(StoredRows, stored))
    })
  )
