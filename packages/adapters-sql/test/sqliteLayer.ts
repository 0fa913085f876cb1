import { KyselyClient, Migrations } from "@aidial/adapters-sql"
import type { StorageError } from "@aidial/domain"
import { Layer } from "effect"

/** A `KyselyClient` on a private in-memory SQLite database, migrated to the latest version. */
export const sqliteTestLayer = (): Layer.Layer<KyselyClient.KyselyClient, StorageError.StorageError> =>
  Layer.effectDiscard(Migrations.migrate).pipe(Layer.provideMerge(KyselyClient.layerSqlite({ filename: ":memory:" })))
