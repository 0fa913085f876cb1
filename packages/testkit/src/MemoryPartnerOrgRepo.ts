import { PartnerOrgRepo, type Tenancy } from "@aidial/domain"
import { Effect, Layer, Option } from "effect"
import { pageOf } from "./internal/pageOf.js"

/** Partner organisations in a `Map`, for tests and prototypes. */
export const layerMemory: Layer.Layer<PartnerOrgRepo.PartnerOrgRepo> = Layer.sync(PartnerOrgRepo.PartnerOrgRepo, () => {
  const orgs = new Map<string, Tenancy.PartnerOrg>()
  return PartnerOrgRepo.PartnerOrgRepo.of({
    get: (id) => Effect.sync(() => Option.fromNullable(orgs.get(id))),
    insert: (org) => Effect.sync(() => void orgs.set(org.id, org)),
    update: (org) => Effect.sync(() => void (orgs.has(org.id) && orgs.set(org.id, org))),
    list: (page) => Effect.sync(() => pageOf(orgs.values(), () => true, page))
  })
})
