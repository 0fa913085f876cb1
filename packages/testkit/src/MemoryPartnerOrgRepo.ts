import { PartnerOrgRepo, type Tenancy } from "@aidial/domain"
import { Effect, Layer, Option } from "effect"
import * as Journal from "./internal/Journal.js"
import { pageOf } from "./internal/pageOf.js"

/** Partner organisations in a `Map`, for tests and prototypes. */
export const layerMemory: Layer.Layer<PartnerOrgRepo.PartnerOrgRepo> = Layer.sync(PartnerOrgRepo.PartnerOrgRepo, () => {
  const orgs = new Map<string, Tenancy.PartnerOrg>()
  return PartnerOrgRepo.PartnerOrgRepo.of({
    get: (id) => Effect.sync(() => Option.fromNullable(orgs.get(id))),
    insert: (org) => Journal.set(orgs, org.id, org),
    update: (org) => (orgs.has(org.id) ? Journal.set(orgs, org.id, org) : Effect.void),
    // memory transactions already run one at a time
    lock: () => Effect.void,
    list: (page) => Effect.sync(() => pageOf(orgs.values(), () => true, page))
  })
})
