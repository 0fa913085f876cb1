/** Endpoint declarations for the caller's identity and clients (handlers in `TenancyHttp`); projects are `ProjectsApi`. */
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { type Directory, Ids, Tenancy } from "@aidial/domain"
import { Schema } from "effect"
import * as Authentication from "./Authentication.js"
import * as Cursor from "./Cursor.js"
import * as Example from "./Example.js"
import * as Failures from "./Failures.js"
import * as RequestContext from "./RequestContext.js"

/** The authenticated principal, as `GET /v1/me` shows it. */
export const Me = Example.wire(Schema.Struct({
  kind: Schema.Literal("platform", "partner", "customer", "api_key", "unaffiliated").annotations({
    description: "Who is calling: AiDial staff, a partner organisation's member, a customer's user, an API key, or a " +
      "signed-in user without a membership yet; `role` says which role within it."
  }),
  role: Schema.NullOr(Schema.String),
  user_id: Schema.NullOr(Schema.String),
  partner_org_id: Schema.NullOr(Schema.String),
  client_id: Schema.NullOr(Schema.String).annotations({
    description: "The customer's or key's client, or the client a platform user selected."
  }),
  assigned_client_ids: Schema.NullOr(Schema.Array(Schema.String)),
  key_id: Schema.NullOr(Schema.String),
  environment: Schema.NullOr(Tenancy.DataEnvironment),
  scope: Schema.NullOr(Schema.Literal("read", "manage"))
}).annotations({ identifier: "Me" }), {
  kind: "partner",
  role: "partner_admin",
  user_id: "usr_nina",
  partner_org_id: "org_acme",
  client_id: null,
  assigned_client_ids: null,
  key_id: null,
  environment: null,
  scope: null
})

const clientExample: typeof ClientFields.Encoded = {
  client_id: "cli_harbour",
  partner_org_id: "org_acme",
  name: "Harbour Dental",
  status: "active",
  created_at: "2026-01-15T09:30:00.000Z"
}

const ClientFields = Schema.Struct({
  client_id: Schema.String,
  partner_org_id: Schema.NullOr(Schema.String),
  name: Schema.String,
  status: Tenancy.ClientStatus,
  created_at: Schema.String
}).annotations({ identifier: "Client" })

export const Client = Example.wire(ClientFields, clientExample)

export const ClientList = Example.wire(
  Cursor.page({ clients: Schema.Array(Client) }).annotations({ identifier: "ClientList" }),
  { clients: [clientExample], next_cursor: "Y2xpX2hhcmJvdXI" }
)

export const group = HttpApiGroup.make("tenancy")
  .add(
    HttpApiEndpoint.get("me", "/me")
      .addSuccess(Me)
      .annotate(OpenApi.Summary, "The principal this request acts as")
  )
  .add(
    HttpApiEndpoint.get("listClients", "/clients")
      .setUrlParams(Schema.Struct(Cursor.PageParams))
      .addSuccess(ClientList)
      .addError(Failures.of<typeof Directory.listClients>()("StorageError"))
      .annotate(OpenApi.Summary, "Clients in the caller's scope, in id order")
  )
  .add(
    HttpApiEndpoint.get("getClient", "/clients/:clientId")
      .setPath(Schema.Struct({ clientId: Ids.ClientId }))
      .addSuccess(Client)
      .addError(Failures.of<typeof Directory.getClient>()("Forbidden", "NotFound", "StorageError"))
      .annotate(OpenApi.Summary, "One client in the caller's scope")
  )
  .middleware(Authentication.Authentication)
  .annotate(OpenApi.Title, "Tenancy")
  .annotate(OpenApi.Description, "Who is calling (`/v1/me`), and the clients the caller may see. API keys and bearer tokens both work here.")
