import { KyselyClient, Migrations } from "@aidial/adapters-sql"
import type { StorageError } from "@aidial/domain"
import { Effect, Layer } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

/** A `KyselyClient` on a private in-memory SQLite database, migrated to the latest version. */
export const sqliteTestLayer = (): Layer.Layer<KyselyClient.KyselyClient, StorageError.StorageError> =>
  Layer.effectDiscard(Migrations.migrate).pipe(Layer.provideMerge(KyselyClient.layerSqlite({ filename: ":memory:" })))

/**
 * A `KyselyClient` on a fresh migrated SQLite file, removed when the layer is released: WAL, the
 * read-only connection for reads outside transactions and the remembered verification rows, as a
 * deployment on a file has them.
 */
export const sqliteFileTestLayer = (): Layer.Layer<KyselyClient.KyselyClient, StorageError.StorageError> =>
  Layer.unwrapScoped(
    Effect.map(
      Effect.acquireRelease(
        Effect.sync(() => mkdtempSync(join(tmpdir(), "aidial-contract-"))),
        (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
      ),
      (dir) =>
        Layer.effectDiscard(Migrations.migrate).pipe(
          Layer.provideMerge(KyselyClient.layerSqlite({ filename: join(dir, "contract.sqlite") }))
        )
    )
  )
