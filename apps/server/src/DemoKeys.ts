/**
 * The demo API keys: on a database whose demo client has no key yet, one `read` key per environment
 * is created for Bright Smile Dental (Acme) by the AiDial demo admin. Their plaintexts are held here
 * only until the startup banner prints them; a later start finds the keys and prints nothing.
 */
import { ApiKeyRepo, ApiKeys, Audit, Ids, Principal, type StorageError, type Tenancy } from "@aidial/domain"
import { Context, Effect, Layer, Option, type Redacted } from "effect"

/** The client the demo keys belong to. */
export const clientId = Ids.ClientId.make("cli_acme_dental")

/** A demo key created on this start, with its one copy of the plaintext. */
export interface DemoKey {
  readonly id: Ids.ApiKeyId
  readonly environment: Tenancy.DataEnvironment
  readonly plaintext: Redacted.Redacted<string>
}

/** The demo keys created on this start (none when they already existed). */
export class DemoKeys extends Context.Tag("@aidial/server/DemoKeys")<DemoKeys, ReadonlyArray<DemoKey>>() {}

const creator = Principal.PlatformUser({
  userId: Ids.UserId.make("usr_platform_admin"),
  role: "aidial_admin",
  selectedClientId: clientId
})

/** Creates the demo keys when the demo client exists and has none; it needs what `ApiKeys.create` needs. */
export const seed: Effect.Effect<
  ReadonlyArray<DemoKey>,
  StorageError.StorageError,
  Exclude<Effect.Effect.Context<ReturnType<typeof ApiKeys.create>>, Audit.CurrentRequest> | ApiKeyRepo.ApiKeyRepo
> = Effect.gen(function*() {
  const existing = yield* (yield* ApiKeyRepo.ApiKeyRepo).list(clientId, { after: null, limit: 1 })
  if (existing.items.length > 0) return []
  const created: Array<DemoKey> = []
  for (const environment of ["live", "test"] as const) {
    const issued = yield* ApiKeys.create(
      creator,
      new ApiKeys.CreateRequest({
        clientId,
        name: `Demo ${environment} key`,
        description: "Created on first start for the curl examples; revoke it when done.",
        scope: "read",
        environment,
        expiry: { _tag: "Never" }
      })
    ).pipe(
      Effect.map(Option.some),
      Effect.catchTags({
        NotFound: () => Effect.succeed(Option.none()),
        Forbidden: () => Effect.succeed(Option.none()),
        InvalidExpiry: () => Effect.succeed(Option.none())
      })
    )
    if (Option.isSome(issued)) created.push({ id: issued.value.key.id, environment, plaintext: issued.value.plaintext })
  }
  return created
}).pipe(Effect.provideService(Audit.CurrentRequest, { requestId: "req_startup_seed" }))

/** `DemoKeys`, seeded once while the layer builds. */
export const layer: Layer.Layer<DemoKeys, StorageError.StorageError, Effect.Effect.Context<typeof seed>> = Layer.effect(DemoKeys, seed)
