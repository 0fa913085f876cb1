import type { Storage } from "@aidial/domain"
import { Layer } from "effect"
import type * as KyselyClient from "./KyselyClient.js"
import * as SqlApiKeys from "./SqlApiKeys.js"
import * as SqlAuditLog from "./SqlAuditLog.js"
import * as SqlProjectConfig from "./SqlProjectConfig.js"
import * as SqlTeam from "./SqlTeam.js"
import * as SqlTenancy from "./SqlTenancy.js"
import * as SqlTransactor from "./SqlTransactor.js"

/** Every storage port (the domain's `Storage`) on one `KyselyClient`, sharing one transactor. */
export const layer: Layer.Layer<Storage, never, KyselyClient.KyselyClient> = Layer.mergeAll(
  SqlTenancy.layer,
  SqlProjectConfig.layer,
  SqlTeam.layer,
  SqlAuditLog.layer,
  SqlApiKeys.layer
).pipe(Layer.provideMerge(SqlTransactor.layer))
