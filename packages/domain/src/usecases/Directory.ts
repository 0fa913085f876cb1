import { Effect, Option } from "effect"
import type { ClientId, ProjectId } from "../Ids.js"
import * as Page from "../Page.js"
import * as Policy from "../Policy.js"
import { ClientRepo, type ClientFilter } from "../ports/ClientRepo.js"
import { ProjectRepo, type ProjectFilter } from "../ports/ProjectRepo.js"
import type { Principal } from "../Principal.js"
import type { DataEnvironment } from "../Tenancy.js"
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

/** The storage filter that covers exactly the projects a principal may view; `null` when none. */
export const projectScope = (principal: Principal): ProjectFilter | null => {
  switch (principal._tag) {
    case "PlatformUser":
      return principal.selectedClientId === null ? null : { clientIds: [principal.selectedClientId] }
    case "ApiKey":
      return { clientIds: [principal.clientId], environment: principal.environment }
    default:
      return clientScope(principal)
  }
}

const emptyPage: Page.Page<never> = { items: [], next: null }

/**
 * The clients the principal may view, one page in id order: `clientScope` selects exactly what
 * `authorize` allows to view (a property over generated worlds holds the two together).
 */
export const listClients = Effect.fnUntraced(function*(principal: Principal, page: Page.PageRequest) {
  const scope = clientScope(principal)
  if (scope === null) return emptyPage
  return yield* (yield* ClientRepo).list(scope, page)
}, Traced.span("Directory.listClients"))

/** Loads a client the principal may act on: `NotFound` when missing or out of scope. */
export const loadClient = Effect.fnUntraced(
  function*(principal: Principal, action: Policy.Action, id: ClientId) {
    const client = yield* (yield* ClientRepo).get(id)
    if (Option.isNone(client)) return yield* new Policy.NotFound({ resource: "client" })
    yield* Access.require(principal, action, Policy.clientTarget(client.value), "client")
    return client.value
  },
  Traced.span("Directory.loadClient")
)

/** One client, if the principal may view it. */
export const getClient = (principal: Principal, id: ClientId) => loadClient(principal, "client.view", id)

/** Narrows a project listing on request. */
export interface ProjectQuery {
  readonly clientId?: ClientId
  readonly environment?: DataEnvironment
}

const narrow = (scope: ProjectFilter, query: ProjectQuery): ProjectFilter => ({
  ...scope,
  ...(query.environment !== undefined && scope.environment === undefined ? { environment: query.environment } : {}),
  ...(query.clientId !== undefined
    ? { clientIds: (scope.clientIds ?? [query.clientId]).filter((id) => id === query.clientId) }
    : {})
})

/** The projects the principal may view, one page in id order (`projectScope` selects exactly those). */
export const listProjects = Effect.fnUntraced(
  function*(principal: Principal, query: ProjectQuery, page: Page.PageRequest) {
    const scope = projectScope(principal)
    if (scope === null) return emptyPage
    return yield* (yield* ProjectRepo).list(narrow(scope, query), page)
  },
  Traced.span("Directory.listProjects")
)

/** Loads a project the principal may act on, with its client: `NotFound` when missing or out of scope. */
export const loadProject = Effect.fnUntraced(
  function*(principal: Principal, action: Policy.Action, id: ProjectId) {
    const project = yield* (yield* ProjectRepo).get(id)
    if (Option.isNone(project)) return yield* new Policy.NotFound({ resource: "project" })
    const client = yield* (yield* ClientRepo).get(project.value.clientId)
    if (Option.isNone(client)) return yield* new Policy.NotFound({ resource: "project" })
    yield* Access.require(principal, action, Policy.clientTarget(client.value, project.value.environment), "project")
    return { project: project.value, client: client.value }
  },
  Traced.span("Directory.loadProject")
)

/** One project, if the principal may view it. */
export const getProject = (principal: Principal, id: ProjectId) =>
  Effect.map(loadProject(principal, "project.view", id), ({ project }) => project)
