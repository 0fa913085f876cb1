/** Handlers for `ClientsAdminApi`: thin translations to the `Clients` use cases. */
import { HttpApiBuilder } from "@effect/platform"
import {
  Clients
} from "@aidial/domain"
import { Effect } from "effect"
import { Api, type Group } from "./Api.js"
import { CurrentPrincipal } from "./Authentication.js"
import * as Problem from "./Problem.js"
import { client } from "./TenancyHttp.js"

/** The client administration handlers. */
export const layer: Group<"clientsAdmin"> = HttpApiBuilder.group(Api, "clientsAdmin", (handlers) =>
  handlers
    .handle("provision", ({ payload }) =>
      CurrentPrincipal.pipe(
        Effect.flatMap((principal) => Clients.provision(principal, { name: payload.name, partnerOrgId: payload.partner_org_id })),
        Effect.map(client),
        Problem.refail
      ))
    .handle("update", ({ path, payload }) =>
      CurrentPrincipal.pipe(
        Effect.flatMap((principal) => Clients.update(principal, path.clientId, payload.name !== undefined ? { name: payload.name } : {})),
        Effect.map(client),
        Problem.refail
      ))
    .handle("archive", ({ path }) =>
      CurrentPrincipal.pipe(
        Effect.flatMap((principal) => Clients.archive(principal, path.clientId)),
        Effect.map(client),
        Problem.refail
      ))
    .handle("listAssignees", ({ path }) =>
      CurrentPrincipal.pipe(
        Effect.flatMap((principal) => Clients.listAssignees(principal, path.clientId)),
        Effect.map((users) => ({ assignees: users.map((user_id) => ({ user_id })) })),
        Problem.refail
      ))
    .handle("assign", ({ path }) =>
      CurrentPrincipal.pipe(
        Effect.flatMap((principal) => Clients.assign(principal, path.clientId, path.userId)),
        Problem.refail
      ))
    .handle("unassign", ({ path }) =>
      CurrentPrincipal.pipe(
        Effect.flatMap((principal) => Clients.unassign(principal, path.clientId, path.userId)),
        Problem.refail
      )))
