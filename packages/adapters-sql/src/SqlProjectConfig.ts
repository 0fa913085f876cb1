import type { ProjectConfigRepos } from "@aidial/domain"
import { Layer } from "effect"
import type * as KyselyClient from "./KyselyClient.js"
import * as SqlDraftRepo from "./SqlDraftRepo.js"
import * as SqlEntitlementRepo from "./SqlEntitlementRepo.js"
import * as SqlVersionRepo from "./SqlVersionRepo.js"

/** Every project-configuration repository on one `KyselyClient`. */
export const layer: Layer.Layer<ProjectConfigRepos, never, KyselyClient.KyselyClient> = Layer.mergeAll(
  SqlDraftRepo.layer,
  SqlVersionRepo.layer,
  SqlEntitlementRepo.layer
)
