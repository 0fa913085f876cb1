/** The typed client, derived from the API definition, against the API itself: decoded answers, typed problems. */
import { Client, Http } from "@aidial/adapters-http"
import { Ids } from "@aidial/domain"
import { FetchHttpClient, type HttpClient } from "@effect/platform"
import { Effect, Layer, Redacted } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import { requirements, token } from "./StandingWorld.js"
import type * as World from "./World.js"

const { dispose, handler } = Http.toWebHandler(requirements)
afterAll(() => dispose())

/** An `HttpClient` whose fetch is the API's own handler, in process. */
const inProcess = FetchHttpClient.layer.pipe(
  Layer.provide(Layer.succeed(FetchHttpClient.Fetch, (input, init) => handler(new Request(input, init))))
)

const bearer = async (who: keyof typeof World.subjects): Promise<Client.Credential> => ({
  _tag: "Bearer",
  token: Redacted.make(await token(who))
})

const run = <A, E>(effect: Effect.Effect<A, E, HttpClient.HttpClient>) =>
  Effect.runPromise(Effect.provide(effect, inProcess))

describe("the typed client", () => {
  it("calls every group with decoded answers: who am I, create a key, use it", async () => {
    const admin = await bearer("adminA")
    const created = await run(Effect.gen(function*() {
      const client = yield* Client.make({ baseUrl: "http://api.test", credential: admin })
      const me = yield* client.tenancy.me()
      expect(me).toMatchObject({ kind: "partner", role: "partner_admin" })
      return yield* client.apiKeys.create({
        path: { clientId: Ids.ClientId.make("cli_a1") },
        payload: { name: "CRM sync", scope: "read", environment: "live", expires: 90 }
      })
    }))
    expect(created.api_key.status).toBe("active")
    const projects = await run(Effect.gen(function*() {
      const client = yield* Client.make({ baseUrl: "http://api.test", credential: { _tag: "ApiKey", key: created.plaintext } })
      return yield* client.projects.listProjects({ urlParams: {} })
    }))
    expect(projects.projects.map((p) => p.project_id)).toEqual(["prj_a1_live"])
  })

  it("fails with the endpoint's declared problem, typed", async () => {
    const admin = await bearer("adminA")
    const problem = await run(Effect.gen(function*() {
      const client = yield* Client.make({ baseUrl: "http://api.test", credential: admin })
      return yield* Effect.flip(client.tenancy.getClient({ path: { clientId: Ids.ClientId.make("cli_b1") } }))
    }))
    expect(problem).toMatchObject({ _tag: "NotFound", detail: "No client with this id." })
  })
})
