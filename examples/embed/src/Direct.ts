/** The service calling use cases directly, without HTTP: no request, no token, a principal it builds itself. */
import { ApiKeys, Audit, Clients, Directory, Ids, Policy, Principal, Tenancy } from "@aidial/domain"
import { Effect, type Redacted } from "effect"
import type * as Service from "./Service.js"
import * as Rules from "./Rules.js"

/** The service's operator account, acting as an AiDial admin. */
export const operator = (selectedClientId: Ids.ClientId | null = null) =>
  Principal.PlatformUser({ userId: Ids.UserId.make("usr_embed_operator"), role: "aidial_admin", selectedClientId })

/** A new customer and the plaintext of its first key (shown once). */
export interface Onboarded {
  readonly client: Tenancy.Client
  readonly plaintext: Redacted.Redacted<string>
}

type ErrorOf<F extends (...args: never) => Effect.Effect<unknown, unknown, unknown>> = Effect.Effect.Error<ReturnType<F>>

/** Provisions a direct customer and issues it a read key for `live`. */
export const onboard = (
  name: string
): Effect.Effect<Onboarded, ErrorOf<typeof Clients.provision> | ErrorOf<typeof ApiKeys.create>, Service.Core> =>
  Effect.gen(function*() {
    const client = yield* Clients.provision(operator(), { name, partnerOrgId: null })
    const issued = yield* ApiKeys.create(
      operator(client.id),
      new ApiKeys.CreateRequest({
        clientId: client.id,
        name: "Embedded integration",
        description: "",
        scope: "read",
        environment: "live",
        expiry: { _tag: "Never" }
      })
    )
    return { client, plaintext: issued.plaintext }
  }).pipe(Effect.provideService(Audit.CurrentRequest, { requestId: "req_embed_onboard" }))

/** Archives a client, under the service's own rule (`Rules.authorize`) before the core's. */
export const archive = (
  principal: Principal.Principal,
  id: Ids.ClientId
): Effect.Effect<Tenancy.Client, ErrorOf<typeof Directory.getClient> | ErrorOf<typeof Clients.archive>, Service.Core> =>
  Effect.gen(function*() {
    const client = yield* Directory.getClient(principal, id)
    if (Rules.authorize(principal, "client.archive", Policy.clientTarget(client)) === "Forbidden") {
      return yield* new Policy.Forbidden({ action: "client.archive" })
    }
    return yield* Clients.archive(principal, id)
  }).pipe(Effect.provideService(Audit.CurrentRequest, { requestId: "req_embed_archive" }))
