import { KyselyClient, SqlApiKeys, SqlClientRepo, SqlTransactor } from "@aidial/adapters-sql"
import type { ApiKeyRepo, ApiKeyUsage, ClientRepo, StorageError, Transactor } from "@aidial/domain"
import { Layer } from "effect"

/** The API-key store with the client store it joins with and transactions, on one `KyselyClient`. */
export const apiKeyStore = <E>(
  client: Layer.Layer<KyselyClient.KyselyClient, E>
): Layer.Layer<
  ApiKeyRepo.ApiKeyRepo | ApiKeyUsage.ApiKeyUsage | ClientRepo.ClientRepo | Transactor.Transactor | KyselyClient.KyselyClient,
  E | StorageError.StorageError
> =>
  SqlApiKeys.layer.pipe(Layer.provideMerge(Layer.mergeAll(SqlClientRepo.layer, SqlTransactor.layer)), Layer.provideMerge(client))
