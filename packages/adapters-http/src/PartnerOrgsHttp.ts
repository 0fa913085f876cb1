/** Handlers for `PartnerOrgsApi`: thin translations to the `PartnerOrgs` use cases. */
import { HttpApiBuilder } from "@effect/platform"
import {
  PartnerOrgs,
  type Tenancy
} from "@aidial/domain"
import { Effect } from "effect"
import { Api, type Group } from "./Api.js"
import { CurrentPrincipal } from "./Authentication.js"
import * as Cursor from "./Cursor.js"
import type * as PartnerOrgsApi from "./PartnerOrgsApi.js"
import * as Problem from "./Problem.js"

/** The JSON form of a partner organisation. */
export const partnerOrg = (o: Tenancy.PartnerOrg): typeof PartnerOrgsApi.PartnerOrg.Type => ({
  partner_org_id: o.id,
  name: o.name,
  description: o.description,
  status: o.status,
  created_at: o.createdAt.toISOString()
})

/** The partner-organisation handlers. */
export const layer: Group<"partnerOrgs"> = HttpApiBuilder.group(Api, "partnerOrgs", (handlers) =>
  handlers
    .handle("provision", ({ payload }) =>
      CurrentPrincipal.pipe(
        Effect.flatMap((principal) => PartnerOrgs.provision(principal, payload)),
        Effect.map(partnerOrg),
        Problem.refail
      ))
    .handle("list", ({ urlParams }) =>
      CurrentPrincipal.pipe(
        Effect.flatMap((principal) => PartnerOrgs.list(principal, Cursor.pageRequest(urlParams))),
        Effect.map((page) => ({ partner_orgs: page.items.map(partnerOrg), next_cursor: Cursor.next(page) })),
        Problem.refail
      ))
    .handle("get", ({ path }) =>
      CurrentPrincipal.pipe(
        Effect.flatMap((principal) => PartnerOrgs.get(principal, path.partnerOrgId)),
        Effect.map(partnerOrg),
        Problem.refail
      ))
    .handle("edit", ({ path, payload }) =>
      CurrentPrincipal.pipe(
        Effect.flatMap((principal) => PartnerOrgs.edit(principal, path.partnerOrgId, {
          ...(payload.name !== undefined ? { name: payload.name } : {}),
          ...(payload.description !== undefined ? { description: payload.description } : {})
        })),
        Effect.map(partnerOrg),
        Problem.refail
      )))
