import { Cursor } from "@aidial/adapters-http"
import { PrincipalRepo, StorageError } from "@aidial/domain"
import { TestClock } from "@aidial/testkit"
import { Context, Effect, Logger } from "effect"
import * as Jose from "jose"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as ClockedWorld from "./ClockedWorld.js"
import * as World from "./World.js"

const { start: now, verifier } = ClockedWorld
const nowSeconds = Math.floor(now.getTime() / 1000)
const { secret, issuer, audience } = verifier

let api: ClockedWorld.Api
beforeAll(async () => {
  api = await ClockedWorld.open()
})
afterAll(() => api.close())

/** Sets the clock the verifier reads; tests move it to expire tokens. */
const setClock = (instant: Date) => api.run(Effect.flatMap(TestClock.TestClock, (clock) => clock.set(instant)))

const sign = (
  subject: string,
  options: {
    readonly exp?: number
    readonly aud?: string
    readonly iss?: string
    readonly key?: Uint8Array
    /** `null` leaves `iat` out. */
    readonly iat?: number | null
    readonly nbf?: number
  } = {}
) => {
  const jwt = new Jose.SignJWT(options.nbf === undefined ? {} : { nbf: options.nbf })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(subject)
    .setIssuer(options.iss ?? issuer)
    .setAudience(options.aud ?? audience)
    .setExpirationTime(options.exp ?? nowSeconds + 3600)
  return (options.iat === null ? jwt : jwt.setIssuedAt(options.iat ?? nowSeconds - 60)).sign(options.key ?? secret)
}

const get = (path: string, headers: Record<string, string> = {}) =>
  api.handler(new Request(`http://localhost${path}`, { headers }))

const as = async (who: keyof typeof World.subjects, path: string) =>
  get(path, { authorization: `Bearer ${await sign(World.subjects[who])}` })

const json = async (response: Response): Promise<unknown> => JSON.parse(await response.text())

const expectProblem = async (response: Response, status: number, code: string) => {
  expect(response.status).toBe(status)
  expect(response.headers.get("content-type")).toBe("application/problem+json")
  expect(response.headers.get("x-request-id")).toMatch(/^req_/)
  const body = await json(response)
  expect(body).toMatchObject({ status, code, type: `urn:aidial:problem:${code}` })
  expect(JSON.stringify(body)).not.toMatch(/at .*\.ts|stack/i)
  return body
}

const idsOf = (body: unknown, list: "clients" | "projects", key: "client_id" | "project_id"): Array<string> => {
  if (typeof body !== "object" || body === null || !(list in body)) throw new Error("not a list")
  const items: unknown = Reflect.get(body, list)
  if (!Array.isArray(items)) throw new Error("not an array")
  return items.map((item: unknown) => String(Reflect.get(Object(item), key)))
}

describe("authentication", () => {
  it("answers 401 with a WWW-Authenticate challenge and problem+json when no credentials are sent", async () => {
    const response = await get("/v1/projects")
    await expectProblem(response, 401, "unauthenticated")
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer /)
    expect(response.headers.get("www-authenticate")).toContain("X-API-Key")
  })

  it.each([
    ["a token signed with another key", () => sign(World.subjects.adminA, { key: new TextEncoder().encode("another-secret-another-secret-0123456") })],
    ["an expired token", () => sign(World.subjects.adminA, { exp: nowSeconds - 3600 })],
    ["a token for another audience", () => sign(World.subjects.adminA, { aud: "someone-else" })],
    ["a token from another issuer", () => sign(World.subjects.adminA, { iss: "https://evil.example" })],
    ["a token for an unknown subject", () => sign("sub-stranger")],
    ["garbage", () => Promise.resolve("not.a.jwt")],
    ["a token valid until the year 2200", () => sign(World.subjects.adminA, { exp: Math.floor(Date.UTC(2200, 0, 1) / 1000) })],
    ["a token living one second over 24 hours", () => sign(World.subjects.adminA, { iat: nowSeconds - 60, exp: nowSeconds - 60 + 86_401 })],
    ["a token issued in the future", () => sign(World.subjects.adminA, { iat: nowSeconds + 120, exp: nowSeconds + 3600 })],
    ["a token without iat", () => sign(World.subjects.adminA, { iat: null })],
    ["a token not valid before a minute from now", () => sign(World.subjects.adminA, { nbf: nowSeconds + 60 })]
  ])("rejects %s with 401", async (_, token) => {
    const response = await get("/v1/me", { authorization: `Bearer ${await token()}` })
    await expectProblem(response, 401, "unauthenticated")
  })

  it("accepts a token of exactly 24 hours, an iat within the clock skew and an nbf already past", async () => {
    const tokens = [
      await sign(World.subjects.adminA, { iat: nowSeconds - 60, exp: nowSeconds - 60 + 86_400 }),
      await sign(World.subjects.adminA, { iat: nowSeconds + 20, exp: nowSeconds + 3600 }),
      await sign(World.subjects.adminA, { nbf: nowSeconds - 10 })
    ]
    for (const token of tokens) expect((await get("/v1/me", { authorization: `Bearer ${token}` })).status).toBe(200)
  })

  it("stops accepting a remembered token once it expires", async () => {
    const token = await sign(World.subjects.adminB, { exp: nowSeconds + 60 })
    expect((await get("/v1/me", { authorization: `Bearer ${token}` })).status).toBe(200)
    expect((await get("/v1/me", { authorization: `Bearer ${token}` })).status).toBe(200)
    await setClock(new Date(now.getTime() + 120_000))
    try {
      await expectProblem(await get("/v1/me", { authorization: `Bearer ${token}` }), 401, "unauthenticated")
    } finally {
      await setClock(now)
    }
  })

  it("rejects an unsigned (alg none) token", async () => {
    const token = new Jose.UnsecuredJWT({}).setSubject(World.subjects.adminA).setIssuer(issuer).setAudience(audience)
      .setExpirationTime(nowSeconds + 3600).encode()
    await expectProblem(await get("/v1/me", { authorization: `Bearer ${token}` }), 401, "unauthenticated")
  })

  it("lets X-API-Key alone decide: an invalid key beside a valid bearer token is 401", async () => {
    const token = await sign(World.subjects.adminA)
    expect((await get("/v1/me", { authorization: `Bearer ${token}` })).status).toBe(200)
    const response = await get("/v1/me", { authorization: `Bearer ${token}`, "x-api-key": "adk_live_whatever" })
    await expectProblem(response, 401, "unauthenticated")
  })

  it("refuses an API key in the query string", async () => {
    const token = await sign(World.subjects.adminA)
    for (const name of ["api_key", "apiKey", "key"]) {
      const response = await get(`/v1/projects?${name}=adk_live_x`, { authorization: `Bearer ${token}` })
      await expectProblem(response, 401, "unauthenticated")
    }
  })

  it("takes roles from storage, not from the token", async () => {
    const token = await new Jose.SignJWT({ role: "aidial_admin", roles: ["aidial_admin"] })
      .setProtectedHeader({ alg: "HS256" }).setSubject(World.subjects.userA).setIssuer(issuer).setAudience(audience)
      .setIssuedAt(nowSeconds - 60).setExpirationTime(nowSeconds + 3600).sign(secret)
    const body = await json(await get("/v1/me", { authorization: `Bearer ${token}` }))
    expect(body).toMatchObject({ kind: "partner", role: "partner_user", assigned_client_ids: ["cli_a1"] })
  })
})

describe("a storage failure during authentication", () => {
  it("answers 500 problem+json without the failure's detail, and logs it", async () => {
    const logged: Array<string> = []
    const failing = await ClockedWorld.open({
      logger: Logger.make(({ message }) => logged.push(String(message))),
      serve: (built) =>
        Context.add(built, PrincipalRepo.PrincipalRepo, {
          ...Context.get(built, PrincipalRepo.PrincipalRepo),
          findBySubject: () => Effect.fail(new StorageError.StorageError({ message: "disk on fire at /var/db" }))
        })
    })
    try {
      const token = await ClockedWorld.sign("adminA")
      const response = await failing.handler(new Request("http://localhost/v1/me", { headers: { authorization: `Bearer ${token}` } }))
      const body = await expectProblem(response, 500, "internal")
      expect(JSON.stringify(body)).not.toContain("disk on fire")
      expect(logged.join("\n")).toContain("storage failure during authentication")
    } finally {
      await failing.close()
    }
  })
})

describe("GET /v1/me", () => {
  it("describes each kind of principal", async () => {
    expect(await json(await as("adminA", "/v1/me"))).toMatchObject({
      kind: "partner",
      role: "partner_admin",
      user_id: World.userId("adminA"),
      partner_org_id: "org_a"
    })
    expect(await json(await as("customer", "/v1/me"))).toMatchObject({ kind: "customer", client_id: "cli_direct" })
    expect(await json(await as("operator", "/v1/me"))).toMatchObject({ kind: "platform", role: "aidial_operator", client_id: null })
    expect(await json(await as("unaffiliated", "/v1/me"))).toMatchObject({ kind: "unaffiliated" })
  })
})

describe("scope", () => {
  const scopes: ReadonlyArray<readonly [keyof typeof World.subjects, Array<string>, Array<string>]> = [
    ["adminA", ["cli_a1", "cli_a2"], ["prj_a1_live", "prj_a1_test", "prj_a2_live"]],
    ["userA", ["cli_a1"], ["prj_a1_live", "prj_a1_test"]],
    ["adminB", ["cli_b1"], ["prj_b1_live", "prj_b1_test"]],
    ["userB", ["cli_b1"], ["prj_b1_live", "prj_b1_test"]],
    ["customer", ["cli_direct"], ["prj_direct_live"]],
    ["platformAdmin", ["cli_a1", "cli_a2", "cli_b1", "cli_direct"], []],
    ["operator", ["cli_a1", "cli_a2", "cli_b1", "cli_direct"], []],
    ["unaffiliated", [], []]
  ]

  it.each(scopes)("%s sees exactly its clients and projects", async (who, clients, projects) => {
    expect(idsOf(await json(await as(who, "/v1/clients")), "clients", "client_id")).toEqual(clients)
    expect(idsOf(await json(await as(who, "/v1/projects")), "projects", "project_id")).toEqual(projects)
  })

  it("answers /v1/projects in the seed's shape", async () => {
    const body = await json(await as("userA", "/v1/projects"))
    expect(body).toEqual({
      projects: [
        { project_id: "prj_a1_live", client_id: "cli_a1", display_name: "Project prj_a1_live", timezone: "Australia/Sydney", is_active: true, environment: "live" },
        { project_id: "prj_a1_test", client_id: "cli_a1", display_name: "Project prj_a1_test", timezone: "Australia/Sydney", is_active: true, environment: "test" }
      ],
      next_cursor: null
    })
  })

  it("lets a platform user list a client's projects once it is selected with client_id", async () => {
    const body = await json(await as("operator", "/v1/projects?client_id=cli_b1"))
    expect(idsOf(body, "projects", "project_id")).toEqual(["prj_b1_live", "prj_b1_test"])
    expect((await as("operator", "/v1/projects/prj_b1_live?client_id=cli_b1")).status).toBe(200)
    expect((await as("operator", "/v1/projects/prj_b1_live")).status).toBe(404)
  })

  it("answers a selection or filter naming an unknown or out-of-scope client like any unknown client", async () => {
    const unknown = await json(await as("operator", "/v1/projects?client_id=cli_nope"))
    expect(unknown).toEqual(await json(await as("operator", "/v1/clients/cli_nope")))
    expect(unknown).toMatchObject({ status: 404, code: "not_found" })
    expect(await json(await as("adminA", "/v1/projects?client_id=cli_b1"))).toEqual(unknown)
    expect(idsOf(await json(await as("adminA", "/v1/projects?client_id=cli_a2")), "projects", "project_id")).toEqual(["prj_a2_live"])
  })

  it("filters projects by environment", async () => {
    const body = await json(await as("adminB", "/v1/projects?environment=test"))
    expect(idsOf(body, "projects", "project_id")).toEqual(["prj_b1_test"])
  })

  it("shows a client and a project in scope", async () => {
    expect(await json(await as("userA", "/v1/clients/cli_a1"))).toMatchObject({ client_id: "cli_a1", partner_org_id: "org_a" })
    expect(await json(await as("userA", "/v1/projects/prj_a1_test"))).toMatchObject({ project_id: "prj_a1_test" })
  })

  const strip = (response: Response) => {
    // The request id and the remaining rate-limit allowance differ per request by design.
    const headers = [...response.headers.entries()].filter(([name]) => name !== "x-request-id" && name !== "ratelimit")
    return { status: response.status, headers }
  }

  it.each([
    ["adminA", "/v1/clients/cli_b1", "/v1/clients/cli_nope"],
    ["userA", "/v1/clients/cli_a2", "/v1/clients/cli_nope"],
    ["customer", "/v1/clients/cli_a1", "/v1/clients/cli_nope"],
    ["adminA", "/v1/projects/prj_b1_live", "/v1/projects/prj_nope"],
    ["userA", "/v1/projects/prj_a2_live", "/v1/projects/prj_nope"]
  ] as const)("%s: %s answers byte-identically to %s", async (who, outOfScope, missing) => {
    const a = await as(who, outOfScope)
    const b = await as(who, missing)
    expect(a.status).toBe(404)
    expect(strip(a)).toEqual(strip(b))
    expect(await a.text()).toBe(await b.text())
    expect(a.headers.get("x-request-id")).not.toBe(b.headers.get("x-request-id"))
  })
})

describe("pagination", () => {
  it("pages with limit and an opaque cursor", async () => {
    const first = await json(await as("adminA", "/v1/projects?limit=2"))
    expect(idsOf(first, "projects", "project_id")).toEqual(["prj_a1_live", "prj_a1_test"])
    const cursor = Reflect.get(Object(first), "next_cursor")
    expect(cursor).toBe(Cursor.encode("prj_a1_test"))
    const second = await json(await as("adminA", `/v1/projects?limit=2&cursor=${String(cursor)}`))
    expect(second).toMatchObject({ next_cursor: null })
    expect(idsOf(second, "projects", "project_id")).toEqual(["prj_a2_live"])
  })

  it.each(["limit=0", "limit=201", "limit=abc", "limit=1.5", "cursor=%%%", "cursor=bm90IGFuIGlk!", "cursor=", "environment=prod"])(
    "answers ?%s with 400 problem+json",
    async (query) => {
      await expectProblem(await as("adminA", `/v1/projects?${query}`), 400, "bad_request")
    }
  )

  it("answers a malformed path id with 400", async () => {
    await expectProblem(await as("adminA", "/v1/clients/has%20space"), 400, "bad_request")
  })
})

describe("the envelope", () => {
  it("serves an OpenAPI document listing the routes", async () => {
    const response = await get("/v1/openapi.json")
    expect(response.status).toBe(200)
    const spec = await json(response)
    const paths = Object.keys(Object(Reflect.get(Object(spec), "paths")))
    expect(paths).toEqual(expect.arrayContaining(["/v1/me", "/v1/clients", "/v1/clients/{clientId}", "/v1/projects", "/v1/projects/{projectId}"]))
    expect(JSON.stringify(spec)).toContain("X-API-Key")
  })

  it("serves a docs page", async () => {
    const response = await get("/v1/docs")
    expect(response.status).toBe(200)
    expect(response.headers.get("content-type")).toContain("text/html")
  })

  it("answers an unknown route with 404 problem+json", async () => {
    await expectProblem(await get("/v2/nothing"), 404, "not_found")
  })

  it("answers a known path asked with another method with 405 and the methods it takes in Allow", async () => {
    const token = await sign(World.subjects.adminA)
    const call = (method: string, path: string) =>
      api.handler(new Request(`http://localhost${path}`, { method, headers: { authorization: `Bearer ${token}` } }))
    const onMe = await call("DELETE", "/v1/me")
    expect(await expectProblem(onMe, 405, "method_not_allowed")).toMatchObject({ detail: "DELETE is not allowed here; this path takes GET." })
    expect(onMe.headers.get("allow")).toBe("GET")
    expect((await call("PUT", "/v1/clients/cli_a1")).headers.get("allow")).toBe("GET, PATCH")
    expect((await call("GET", "/v1/clients/cli_a1/archive")).headers.get("allow")).toBe("POST")
    expect((await call("POST", "/v1/openapi.json")).headers.get("allow")).toBe("GET")
    await expectProblem(await call("DELETE", "/v1/nothing/here"), 404, "not_found")
  })

  it("puts a fresh X-Request-Id on every response", async () => {
    const responses = [await get("/v1/openapi.json"), await get("/v1/me"), await as("adminA", "/v1/me"), await as("adminA", "/v1/clients/cli_b1")]
    const seen = responses.map((r) => r.headers.get("x-request-id"))
    for (const id of seen) expect(id).toMatch(/^req_/)
    expect(new Set(seen).size).toBe(seen.length)
  })
})
