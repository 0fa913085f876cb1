/** Handlers for `TenancyApi`: thin translations between HTTP shapes and the `Directory` use cases. */
import { HttpApiBuilder } from "@effect/platform"
import { Directory, type Principal, type Tenancy } from "@aidial/domain"
import { Effect } from "effect"
import { Api, type Group } from "./Api.js"
import { CurrentPrincipal } from "./Authentication.js"
import * as Cursor from "./Cursor.js"
import * as Problem from "./Problem.js"
import * as TenancyApi from "./TenancyApi.js"
import * as WireBody from "./WireBody.js"

const none = {
  role: null,
  user_id: null,
  partner_org_id: null,
  client_id: null,
  assigned_client_ids: null,
  key_id: null,
  environment: null,
  scope: null
} as const

/** `GET /v1/me` body of a principal. */
export const me = (principal: Principal.Principal): typeof TenancyApi.Me.Type => {
  switch (principal._tag) {
    case "PlatformUser":
      return {
        ...none,
        kind: "platform",
        role: principal.role,
        user_id: principal.userId,
        client_id: principal.selectedClientId
      }
    case "PartnerUser":
      return {
        ...none,
        kind: "partner",
        role: principal.role,
        user_id: principal.userId,
        partner_org_id: principal.partnerOrgId,
        assigned_client_ids: principal.role === "partner_user" ? [...principal.assignedClientIds].sort() : null
      }
    case "CustomerUser":
      return { ...none, kind: "customer", role: principal.role, user_id: principal.userId, client_id: principal.clientId }
    case "ApiKey":
      return {
        ...none,
        kind: "api_key",
        key_id: principal.keyId,
        client_id: principal.clientId,
        environment: principal.environment,
        scope: principal.scope
      }
    case "Unaffiliated":
      return { ...none, kind: "unaffiliated", user_id: principal.userId }
  }
}

/** The JSON form of a client. */
export const client = (c: Tenancy.Client): typeof TenancyApi.Client.Type => ({
  client_id: c.id,
  partner_org_id: c.partnerOrgId,
  name: c.name,
  status: c.status,
  created_at: c.createdAt.toISOString()
})

/** A page of clients as it is sent: `ClientList` encodes to itself. */
const listOfClients = WireBody.json(TenancyApi.ClientList)

/** The tenancy handlers. */
export const layer: Group<"tenancy"> = HttpApiBuilder.group(Api, "tenancy", (handlers) =>
  handlers
    .handle("me", () => Effect.map(CurrentPrincipal, me))
    .handle("listClients", ({ urlParams }) =>
      CurrentPrincipal.pipe(
        Effect.flatMap((principal) => Directory.listClients(principal, Cursor.pageRequest(urlParams))),
        Effect.map((page) => listOfClients({ clients: page.items.map(client), next_cursor: Cursor.next(page) })),
        Problem.refail
      ))
    .handle("getClient", ({ path }) =>
      CurrentPrincipal.pipe(
        Effect.flatMap((principal) => Directory.getClient(principal, path.clientId)),
        Effect.map(client),
        Problem.refail
      )))
