/** Endpoint declarations for partner organisations (handlers in `PartnerOrgsHttp`); bearer only. */
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { Ids, type PartnerOrgs, Tenancy, Text } from "@aidial/domain"
import { Schema } from "effect"
import * as Authentication from "./Authentication.js"
import * as Body from "./Body.js"
import * as Cursor from "./Cursor.js"
import * as Example from "./Example.js"
import * as Failures from "./Failures.js"
import * as RequestContext from "./RequestContext.js"
import * as Security from "./Security.js"

/** A partner organisation: `provisioning` until its first partner_admin accepts, then `active`. */
const PartnerOrgFields = Schema.Struct({
  partner_org_id: Schema.String,
  name: Schema.String,
  description: Schema.String,
  status: Tenancy.PartnerOrgStatus,
  created_at: Schema.String
}).annotations({ identifier: "PartnerOrg" })

const partnerOrgExample: typeof PartnerOrgFields.Encoded = {
  partner_org_id: "org_acme",
  name: "Acme Partners",
  description: "Resells to dental practices in NSW",
  status: "active",
  created_at: "2026-01-10T08:00:00.000Z"
}

export const PartnerOrg = Example.wire(PartnerOrgFields, partnerOrgExample)

/** One page of partner organisations. */
export const PartnerOrgList = Example.wire(
  Cursor.page({ partner_orgs: Schema.Array(PartnerOrg) }).annotations({ identifier: "PartnerOrgList" }),
  { partner_orgs: [partnerOrgExample], next_cursor: null }
)

/** `POST /v1/partner-orgs` body. */
export const ProvisionPartnerOrg = Example.wire(Body.strict({
  name: Text.Line,
  description: Schema.optionalWith(Text.Paragraph, { default: () => "" })
}).annotations({ identifier: "ProvisionPartnerOrg" }), { name: "Acme Partners", description: "Resells to dental practices in NSW" })

/** `PATCH /v1/partner-orgs/{partnerOrgId}` body: absent fields stay. */
export const EditPartnerOrg = Example.wire(Body.strict({
  name: Schema.optional(Text.Line),
  description: Schema.optional(Text.Paragraph)
}).annotations({ identifier: "EditPartnerOrg" }), { description: "Resells to dental and physio practices" })

/** The `{partnerOrgId}` path parameter. */
export const PartnerOrgPath = Schema.Struct({ partnerOrgId: Ids.PartnerOrgId })

/** The partner-organisation endpoints. */
export const group = HttpApiGroup.make("partnerOrgs")
  .add(
    HttpApiEndpoint.post("provision", "/partner-orgs")
      .setPayload(ProvisionPartnerOrg)
      .addSuccess(PartnerOrg, { status: 201 })
      .addError(Failures.of<typeof PartnerOrgs.provision>()("Forbidden", "NotFound", "ParseError", "StorageError"))
      .annotate(OpenApi.Summary, "Provision a partner organisation (platform admins); it stays provisioning until its first partner_admin accepts")
  )
  .add(
    HttpApiEndpoint.get("list", "/partner-orgs")
      .setUrlParams(Schema.Struct(Cursor.PageParams))
      .addSuccess(PartnerOrgList)
      .addError(Failures.of<typeof PartnerOrgs.list>()("StorageError"))
      .annotate(OpenApi.Summary, "Partner organisations the caller may view, in id order")
  )
  .add(
    HttpApiEndpoint.get("get", "/partner-orgs/:partnerOrgId")
      .setPath(PartnerOrgPath)
      .addSuccess(PartnerOrg)
      .addError(Failures.of<typeof PartnerOrgs.get>()("Forbidden", "NotFound", "StorageError"))
      .annotate(OpenApi.Summary, "One partner organisation")
  )
  .add(
    HttpApiEndpoint.patch("edit", "/partner-orgs/:partnerOrgId")
      .setPath(PartnerOrgPath)
      .setPayload(EditPartnerOrg)
      .addSuccess(PartnerOrg)
      .addError(Failures.of<typeof PartnerOrgs.edit>()("Forbidden", "NotFound", "ParseError", "StorageError"))
      .annotate(OpenApi.Summary, "Edit a partner organisation's name and description")
  )
  .middleware(Authentication.Authentication)
  .annotate(OpenApi.Title, "Partner organisations")
  .annotate(OpenApi.Description, "Partner organisations: provisioned by AiDial admins, edited by their partner admins. Bearer tokens only.")
  .annotateEndpointsContext(Security.bearerOnly)
