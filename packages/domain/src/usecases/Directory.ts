import { Effect, Option } from "effect"
import { ClientId } from "../Ids.js"
import * as Page from "../Page.js"
import * as Policy from "../Policy.js"
import { ClientRepo, type ClientFilter } from "../ports/ClientRepo.js"
import type { Principal } from "../Principal.js"
import type { StorageError } from "../StorageError.js"
import type { Client } from "../Tenancy.js"
import * as Access from "./Access.js"
import * as Traced from "../Traced.js"

/** The storage filter that covers exactly the clients a principal may view; `null` when none. */
export const clientScope = (principal: Principal): ClientFilter | null => {
  switch (principal._tag) {
    case "PlatformUser":
      return {}
    case "PartnerUser":
      return principal.role === "partner_admin"
        ? { partnerOrgId: principal.partnerOrgId }
        : { partnerOrgId: principal.partnerOrgId, clientIds: [...principal.assignedClientIds] }
    case "CustomerUser":
    case "ApiKey":
      return { clientIds: [principal.clientId] }
    case "Unaffiliated":
      return null
  }
}

const emptyPage: Page.Page<never> = { items: [], next: null }

/**
 * The clients the principal may view, one page in id order: `clientScope` selects exactly what
 * `authorize` allows to view (a property over generated worlds holds the two together).
 */
export const listClients = (principal: Principal, page: Page.PageRequest): Effect.Effect<Page.Page<Client>, StorageError, ClientRepo> => {
  // A plain chain, not a generator: this runs on every listing request.
  const scope = clientScope(principal)
  return Traced.span("Directory.listClients")(
    scope === null ? Effect.succeed(emptyPage) : Effect.flatMap(ClientRepo, (clients) => clients.list(scope, page))
  )
}

/** Selects no client: the scope of a principal that may view none. */
const noClients: ClientFilter = { clientIds: [] }

/**
 * Loads a client the principal may act on: `NotFound` when missing or out of scope. The read is scoped
 * (`clientScope`), so a client out of scope is not even read: it returns nothing, as a missing one does,
 * and both take the same work to the same 404. `authorize` then decides the action on a client in view.
 */
export const loadClient = Effect.fnUntraced(
  function*(principal: Principal, action: Policy.Action, id: ClientId) {
    const client = yield* (yield* ClientRepo).getWithin(id, clientScope(principal) ?? noClients)
    if (Option.isNone(client)) return yield* new Policy.NotFound({ resource: "client" })
    yield* Access.require(principal, action, Policy.clientTarget(client.value), "client")
    return client.value
  },
  Traced.span("Directory.loadClient")
)

/**
 * A client id no client has (generated ids start with `cli_`): read in place of a missing resource's client,
 * so that a missing resource costs the same reads as one out of scope.
 */
export const absentClientId: ClientId = ClientId.make("-")

/** One client, if the principal may view it. */
export const getClient = (principal: Principal, id: ClientId) => loadClient(principal, "client.view", id)
