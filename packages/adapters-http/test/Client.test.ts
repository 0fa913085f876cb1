/** The typed client, derived from the API definition, against the API itself: decoded answers, typed problems. */
import { Authentication, Client, Http } from "@aidial/adapters-http"
import { Clock, Ids } from "@aidial/domain"
import { SequentialIds } from "@aidial/testkit"
import { FetchHttpClient, type HttpClient } from "@effect/platform"
import { Effect, Layer, Redacted } from "effect"
import * as Jose from "jose"
import { afterAll, describe, expect, it } from "vitest"
import * as ApiKeyStack from "./ApiKeyStack.js"
import * as World from "./World.js"

const now = new Date("2026-01-01T00:00:00.000Z")
const secret = new TextEncoder().encode("client-test-secret-client-test-secret-01")
const issuer = "https://id.test.aidial"
const audience = "aidial-api"

const requirements = Layer.mergeAll(
  Authentication.layerJose({ issuer, audience, algorithms: ["HS256"], keys: { _tag: "Local", key: secret } }),
  ApiKeyStack.layer()
).pipe(Layer.provideMerge(Layer.mergeAll(
  World.layer,
  SequentialIds.layer,
  Layer.succeed(Clock.Clock, Clock.Clock.of({ now: Effect.sync(() => now) }))
)))
const { dispose, handler } = Http.toWebHandler(requirements)
afterAll(() => dispose())

/** An `HttpClient` whose fetch is the API's own handler, in process. */
const inProcess = FetchHttpClient.layer.pipe(
  Layer.provide(Layer.succeed(FetchHttpClient.Fetch, (input, init) => handler(new Request(input, init))))
)

const bearer = async (who: keyof typeof World.subjects): Promise<Client.Credential> => ({
  _tag: "Bearer",
  token: Redacted.make(
    await new Jose.SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(World.subjects[who])
      .setIssuer(issuer)
      .setAudience(audience)
      .setIssuedAt(Math.floor(now.getTime() / 1000) - 60)
      .setExpirationTime(Math.floor(now.getTime() / 1000) + 3600)
      .sign(secret)
  )
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
