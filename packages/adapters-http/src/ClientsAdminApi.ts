/**
 * Endpoint declarations for client provisioning and assignment (handlers in `ClientsAdminHttp`);
 * bearer only. Reading clients is `TenancyApi`'s.
 */
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { type Clients, Ids, Text } from "@aidial/domain"
import { Schema } from "effect"
import * as Authentication from "./Authentication.js"
import * as Body from "./Body.js"
import * as Example from "./Example.js"
import * as Failures from "./Failures.js"
import * as RequestContext from "./RequestContext.js"
import * as Security from "./Security.js"
import { Client } from "./TenancyApi.js"

/** `POST /v1/clients` body. */
export const ProvisionClient = Example.wire(Body.strict({
  name: Text.Line,
  partner_org_id: Schema.NullOr(Ids.PartnerOrgId).annotations({
    description: "The managing partner organisation (a partner_admin: their own); null for a direct customer (platform admins)."
  })
}).annotations({ identifier: "ProvisionClient" }), { name: "Harbour Dental", partner_org_id: "org_acme" })

/** `PATCH /v1/clients/{clientId}` body: absent fields stay. */
export const UpdateClient = Example.wire(
  Body.strict({ name: Schema.optional(Text.Line) }).annotations({ identifier: "UpdateClient" }),
  { name: "Harbour Dental Group" }
)

/** The users assigned to a client, in user id order. */
export const AssigneeList = Example.wire(Schema.Struct({
  assignees: Schema.Array(Schema.Struct({ user_id: Schema.String }))
}).annotations({ identifier: "AssigneeList" }), { assignees: [{ user_id: "usr_sam" }] })

const ClientPath = Schema.Struct({ clientId: Ids.ClientId })
const AssigneePath = Schema.Struct({ clientId: Ids.ClientId, userId: Ids.UserId })

/** The client administration endpoints. */
export const group = HttpApiGroup.make("clientsAdmin")
  .add(
    HttpApiEndpoint.post("provision", "/clients")
      .setPayload(ProvisionClient)
      .addSuccess(Client, { status: 201 })
      .addError(Failures.of<typeof Clients.provision>()("Forbidden", "NotFound", "ParseError", "StorageError"))
      .annotate(OpenApi.Summary, "Provision a client under a partner organisation, or as a direct customer")
  )
  .add(
    HttpApiEndpoint.patch("update", "/clients/:clientId")
      .setPath(ClientPath)
      .setPayload(UpdateClient)
      .addSuccess(Client)
      .addError(Failures.of<typeof Clients.update>()("Forbidden", "NotFound", "ParseError", "StorageError"))
      .annotate(OpenApi.Summary, "Update a client's profile")
  )
  .add(
    HttpApiEndpoint.post("archive", "/clients/:clientId/archive")
      .setPath(ClientPath)
      .addSuccess(Client)
      .addError(Failures.of<typeof Clients.archive>()("Forbidden", "NotFound", "StorageError"))
      .annotate(OpenApi.Summary, "Archive a client: read-only afterwards, its API keys stop authenticating")
  )
  .add(
    HttpApiEndpoint.get("listAssignees", "/clients/:clientId/assignees")
      .setPath(ClientPath)
      .addSuccess(AssigneeList)
      .addError(Failures.of<typeof Clients.listAssignees>()("Forbidden", "NotFound", "StorageError"))
      .annotate(OpenApi.Summary, "Users assigned to a client")
  )
  .add(
    HttpApiEndpoint.put("assign", "/clients/:clientId/assignees/:userId")
      .setPath(AssigneePath)
      .addError(Failures.of<typeof Clients.assign>()("AssigneeNotPartnerUser", "Forbidden", "NotFound", "StorageError"))
      .annotate(OpenApi.Summary, "Assign a partner_user of the client's organisation to the client")
  )
  .add(
    HttpApiEndpoint.del("unassign", "/clients/:clientId/assignees/:userId")
      .setPath(AssigneePath)
      .addError(Failures.of<typeof Clients.unassign>()("Forbidden", "NotFound", "StorageError"))
      .annotate(OpenApi.Summary, "Remove a user's assignment to the client")
  )
  .middleware(Authentication.Authentication)
  .annotate(OpenApi.Title, "Client administration")
  .annotate(OpenApi.Description, "Provisioning, editing and archiving clients, and assigning partner users to them. Bearer tokens only.")
  .annotateEndpointsContext(Security.bearerOnly)
