import { ClientRepo, type Tenancy } from "@aidial/domain"
import { Effect, Layer, Option } from "effect"
import * as Journal from "./internal/Journal.js"
import { pageOf } from "./internal/pageOf.js"

const matches = (filter: ClientRepo.ClientFilter) => (client: Tenancy.Client): boolean =>
  (filter.partnerOrgId === undefined || client.partnerOrgId === filter.partnerOrgId) &&
  (filter.clientIds === undefined || filter.clientIds.includes(client.id))

/** Clients in a `Map`, for tests and prototypes. */
export const layerMemory: Layer.Layer<ClientRepo.ClientRepo> = Layer.sync(ClientRepo.ClientRepo, () => {
  const clients = new Map<string, Tenancy.Client>()
  return ClientRepo.ClientRepo.of({
    get: (id) => Effect.sync(() => Option.fromNullable(clients.get(id))),
    getWithin: (id, filter) => Effect.sync(() => Option.filter(Option.fromNullable(clients.get(id)), matches(filter))),
    insert: (client) => Journal.set(clients, client.id, client),
    update: (client) => (clients.has(client.id) ? Journal.set(clients, client.id, client) : Effect.void),
    list: (filter, page) => Effect.sync(() => pageOf(clients.values(), matches(filter), page))
  })
})
