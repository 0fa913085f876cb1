import { ApiKeyAuthentication, RateLimitPolicy } from "@aidial/adapters-http"
import { ApiKey, AuditLog, ClientRepo, Ids, Tenancy, UsageRecorder } from "@aidial/domain"
import { MemoryApiKeyRepo, TestClock } from "@aidial/testkit"
import { Effect, Either, Logger, Option } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as ClockedWorld from "./ClockedWorld.js"
import * as World from "./World.js"

const { start } = ClockedWorld

/** Every line the API logs, to prove no plaintext reaches the log. */
const logged: Array<string> = []
const logger = Logger.make(({ cause, message }) => logged.push(`${String(message)} ${JSON.stringify(cause)}`))

// The tests move the clock over months (key expiry), so their one token lives a year.
const tokenLifetimeSeconds = 365 * 24 * 3600
const options = { logger, maxTokenLifetimeSeconds: 366 * 24 * 3600 } satisfies ClockedWorld.Options

type Credential = { readonly bearer: keyof typeof World.subjects } | { readonly key: string }

type Api = ClockedWorld.Api

const call = async (
  api: Api,
  as: Credential,
  method: string,
  path: string,
  body?: unknown,
  extra: Record<string, string> = {}
): Promise<Response> => {
  const headers: Record<string, string> = { ...extra }
  if ("bearer" in as) headers["authorization"] = `Bearer ${await ClockedWorld.sign(as.bearer, tokenLifetimeSeconds)}`
  else headers["x-api-key"] = as.key
  if (body !== undefined) headers["content-type"] = "application/json"
  return api.handler(
    new Request(`http://localhost${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
  )
}

const json = async (response: Response): Promise<Record<string, unknown>> => {
  const parsed: unknown = JSON.parse(await response.text())
  if (typeof parsed !== "object" || parsed === null) throw new Error("not an object")
  return Object.fromEntries(Object.entries(parsed))
}

const field = (value: unknown, name: string): unknown =>
  typeof value === "object" && value !== null ? Reflect.get(value, name) : undefined

const text = (value: unknown): string => {
  if (typeof value !== "string") throw new Error(`expected a string, got ${JSON.stringify(value)}`)
  return value
}

const keys = (clientId: string) => `/v1/clients/${clientId}/api-keys`

const adminA = { bearer: "adminA" } as const
const userA = { bearer: "userA" } as const

/** Creates a key as adminA and returns its id and plaintext. */
const create = async (api: Api, body: Record<string, unknown> = {}, clientId = "cli_a1") => {
  const response = await call(api, adminA, "POST", keys(clientId), { name: "Integration", scope: "read", environment: "live", ...body })
  expect(response.status).toBe(201)
  const issued = await json(response)
  return { id: text(field(issued["api_key"], "key_id")), plaintext: text(issued["plaintext"]), body: issued }
}

/** Status and headers, minus the two that differ per request by design (request id, remaining allowance). */
const strip = (response: Response) => ({
  status: response.status,
  headers: [...response.headers.entries()].filter(([name]) => name !== "x-request-id" && name !== "ratelimit")
})

const projectIds = async (response: Response) => {
  const body = await json(response)
  const projects = body["projects"]
  return Array.isArray(projects) ? projects.map((p: unknown) => field(p, "project_id")) : []
}

describe("API-key lifecycle over HTTP", () => {
  let api: Api
  beforeAll(async () => {
    api = await ClockedWorld.open(options)
  })
  afterAll(() => api.close())

  it("creates, uses, rotates and revokes a key; the plaintext is shown once and never again", async () => {
    logged.length = 0
    const created = await create(api, { description: "CRM sync", expires: 90 })
    const { plaintext } = created
    expect(plaintext).toMatch(new RegExp(`^${ApiKey.scannerPattern.source}$`))
    expect(created.body["api_key"]).toMatchObject({
      client_id: "cli_a1",
      scope: "read",
      environment: "live",
      status: "active",
      prefix: plaintext.slice(0, 25),
      expires_at: new Date(start.getTime() + 90 * 86_400_000).toISOString(),
      created_by: { kind: "user", id: World.userId("adminA") }
    })
    expect(JSON.stringify(created.body["api_key"])).not.toContain(plaintext.slice(26))

    const later: Array<string> = []
    const keep = async (response: Response) => {
      const body = await response.clone().text()
      later.push(body, JSON.stringify([...response.headers.entries()]))
      return response
    }
    const key = { key: plaintext }

    // The key sees only its client and environment.
    const projects = await keep(await call(api, key, "GET", "/v1/projects"))
    expect(projects.status).toBe(200)
    expect(await projectIds(projects)).toEqual(["prj_a1_live"])
    expect(await json(await keep(await call(api, key, "GET", "/v1/me")))).toMatchObject({
      kind: "api_key",
      key_id: created.id,
      client_id: "cli_a1",
      environment: "live",
      scope: "read"
    })
    expect((await keep(await call(api, key, "GET", "/v1/projects/prj_a1_test"))).status).toBe(404)

    // Inventory is metadata only.
    const listed = await json(await keep(await call(api, adminA, "GET", keys("cli_a1"))))
    expect(JSON.stringify(listed)).toContain(created.id)
    expect(await json(await keep(await call(api, adminA, "GET", `${keys("cli_a1")}/${created.id}`)))).toMatchObject({
      key_id: created.id,
      status: "active"
    })

    // Rotation: the old key stops at once, the new one works. Its response is the replacement's one showing.
    const rotation = await call(api, adminA, "POST", `${keys("cli_a1")}/${created.id}/rotate`, {})
    expect(rotation.status).toBe(200)
    const rotated = await json(rotation)
    const replacement = text(rotated["plaintext"])
    expect(replacement).not.toBe(plaintext)
    expect(rotated["previous"]).toMatchObject({ key_id: created.id, status: "rotated" })
    expect(rotated["api_key"]).toMatchObject({ rotated_from: created.id, expires_at: field(created.body["api_key"], "expires_at") })
    expect((await keep(await call(api, key, "GET", "/v1/projects"))).status).toBe(401)
    const newKey = { key: replacement }
    expect((await keep(await call(api, newKey, "GET", "/v1/projects"))).status).toBe(200)

    // Revocation: permanent.
    const replacementId = text(field(rotated["api_key"], "key_id"))
    const revoked = await keep(await call(api, adminA, "POST", `${keys("cli_a1")}/${replacementId}/revoke`, { reason: "leaked in a log" }))
    expect(revoked.status).toBe(200)
    expect(await json(revoked)).toMatchObject({ status: "revoked", revoke_reason: "leaked in a log" })
    expect((await keep(await call(api, newKey, "GET", "/v1/projects"))).status).toBe(401)
    const again = await keep(await call(api, adminA, "POST", `${keys("cli_a1")}/${replacementId}/revoke`, { reason: "twice" }))
    expect(again.status).toBe(409)
    expect((await keep(await call(api, adminA, "POST", `${keys("cli_a1")}/${replacementId}/rotate`, {}))).status).toBe(409)

    // Neither plaintext appears in any other response, audit event, log line or stored row.
    const events = await api.run(Effect.flatMap(AuditLog.AuditLog, (log) => log.query({}, { after: null, limit: 200 })))
    const rows = await api.run(Effect.flatMap(MemoryApiKeyRepo.StoredRows, (stored) => stored.dump))
    expect(events.items.map((e) => e.action)).toEqual(expect.arrayContaining(["apikey.create", "apikey.rotate", "apikey.revoke", "apikey.verify"]))
    for (const secretPart of [plaintext.slice(26), replacement.slice(26)]) {
      for (const haystack of [...later, JSON.stringify(events.items), logged.join("\n"), rows]) {
        expect(haystack).not.toContain(secretPart)
      }
    }
  })

  it("ignores a bearer token beside a valid key: the key alone decides", async () => {
    const { plaintext } = await create(api, { environment: "test" })
    const response = await call(api, { key: plaintext }, "GET", "/v1/me", undefined, {
      authorization: `Bearer ${await ClockedWorld.sign("platformAdmin", tokenLifetimeSeconds)}`
    })
    expect(await json(response)).toMatchObject({ kind: "api_key", environment: "test" })
  })

  it("keeps the lifecycle bearer-only: a key may read its client's key metadata but not create, rotate or revoke", async () => {
    const manage = await create(api, { scope: "manage" })
    const asKey = { key: manage.plaintext }
    expect((await call(api, asKey, "GET", keys("cli_a1"))).status).toBe(200)
    expect((await call(api, asKey, "GET", `${keys("cli_a1")}/${manage.id}`)).status).toBe(200)
    expect((await call(api, asKey, "GET", `${keys("cli_a1")}/${manage.id}/usage`)).status).toBe(200)
    const body = { name: "x", scope: "read", environment: "live" }
    expect((await call(api, asKey, "POST", keys("cli_a1"), body)).status).toBe(403)
    expect((await call(api, asKey, "POST", `${keys("cli_a1")}/${manage.id}/rotate`, {})).status).toBe(403)
    expect((await call(api, asKey, "POST", `${keys("cli_a1")}/${manage.id}/revoke`, { reason: "x" })).status).toBe(403)
    expect((await call(api, asKey, "POST", keys("cli_a2"), body)).status).toBe(404)
    expect((await call(api, asKey, "GET", keys("cli_a2"))).status).toBe(404)
  })

  it("shows a key only its own environment's keys: another environment's key is the same 404 as a missing one", async () => {
    const live = await create(api, { scope: "read", environment: "live" }, "cli_a2")
    const test = await create(api, { scope: "read", environment: "test" }, "cli_a2")
    const listed = async (key: string) => {
      const body = await json(await call(api, { key }, "GET", `${keys("cli_a2")}?limit=200`))
      const items = body["api_keys"]
      if (!Array.isArray(items)) throw new Error("no api_keys in the answer")
      return items.map((k: unknown) => ({ id: field(k, "key_id"), environment: field(k, "environment") }))
    }
    const seenByLive = await listed(live.plaintext)
    expect(seenByLive.map((k) => k.id)).toContain(live.id)
    expect(seenByLive.every((k) => k.environment === "live")).toBe(true)
    const seenByTest = await listed(test.plaintext)
    expect(seenByTest.map((k) => k.id)).toEqual([test.id])
    const other = await call(api, { key: live.plaintext }, "GET", `${keys("cli_a2")}/${test.id}`)
    const missing = await call(api, { key: live.plaintext }, "GET", `${keys("cli_a2")}/key_0000000000000000`)
    expect([other.status, missing.status]).toEqual([404, 404])
    expect(await json(other)).toEqual(await json(missing))
    expect((await call(api, { key: live.plaintext }, "GET", `${keys("cli_a2")}/${test.id}/usage`)).status).toBe(404)
    // Bearer users see both environments.
    const both = await json(await call(api, adminA, "GET", `${keys("cli_a2")}?limit=200`))
    const all = Array.isArray(both["api_keys"]) ? both["api_keys"].map((k: unknown) => field(k, "key_id")) : []
    expect(all).toEqual(expect.arrayContaining([live.id, test.id]))
  })

  it("lets partner_user list its assigned client's keys but not create one", async () => {
    expect((await call(api, userA, "GET", keys("cli_a1"))).status).toBe(200)
    expect((await call(api, userA, "POST", keys("cli_a1"), { name: "x", scope: "read", environment: "live" })).status).toBe(403)
    expect((await call(api, userA, "GET", keys("cli_a2"))).status).toBe(404)
  })

  it.each([
    ["GET", ""],
    ["POST", ""],
    ["GET", "/key_0000000000000000"],
    ["POST", "/key_0000000000000000/rotate"]
  ] as const)("answers %s on another organisation's client%s byte-identically to a missing client", async (method, suffix) => {
    const body = method === "POST" ? (suffix === "" ? { name: "x", scope: "read", environment: "live" } : {}) : undefined
    const other = await call(api, adminA, method, `${keys("cli_b1")}${suffix}`, body)
    const missing = await call(api, adminA, method, `${keys("cli_nope")}${suffix}`, body)
    expect(other.status).toBe(404)
    expect(other.headers.get("ratelimit")).toMatch(/^"default";r=\d+;t=\d+$/)
    expect(strip(other)).toEqual(strip(missing))
    expect(await other.text()).toBe(await missing.text())
  })

  it("refuses unknown body fields with 400 and a past expiry with 422", async () => {
    for (const extra of [{ status: "active" }, { client_id: "cli_b1" }, { created_by: "x" }]) {
      const response = await call(api, adminA, "POST", keys("cli_a1"), { name: "x", scope: "read", environment: "live", ...extra })
      expect(response.status).toBe(400)
      expect(await json(response)).toMatchObject({ code: "bad_request" })
    }
    const { id } = await create(api)
    expect((await call(api, adminA, "POST", `${keys("cli_a1")}/${id}/revoke`, { reason: "x", by: "me" })).status).toBe(400)
    expect((await call(api, adminA, "POST", `${keys("cli_a1")}/${id}/rotate`, { expires: 90, scope: "manage" })).status).toBe(400)
    expect((await call(api, adminA, "POST", keys("cli_a1"), { name: "x", scope: "read", environment: "live", expires: 45 })).status).toBe(400)
    const past = await call(api, adminA, "POST", keys("cli_a1"), { name: "x", scope: "read", environment: "live", expires: "2025-01-01T00:00:00Z" })
    expect(past.status).toBe(422)
    expect(await json(past)).toMatchObject({ code: "unprocessable" })
    const dated = await create(api, { expires: "2026-06-30T12:00:00Z" })
    expect(dated.body["api_key"]).toMatchObject({ expires_at: "2026-06-30T12:00:00.000Z" })
  })

  it("answers every key that does not authenticate with one identical 401, and audits why", async () => {
    const revoked = await create(api)
    await call(api, adminA, "POST", `${keys("cli_a1")}/${revoked.id}/revoke`, { reason: "done" })
    const rotated = await create(api)
    await call(api, adminA, "POST", `${keys("cli_a1")}/${rotated.id}/rotate`, {})
    const expiring = await create(api, { expires: 30 })
    const archived = await create(api, {}, "cli_a2")
    const valid = await create(api)
    const flip = (c: string) => (c === "A" ? "B" : "A")
    const last = valid.plaintext.length - 1
    const badChecksum = valid.plaintext.slice(0, last) + flip(valid.plaintext.charAt(last))
    const unknown = ApiKey.format("live", "Z".repeat(16), "s".repeat(22))
    const wrongSecret = ApiKey.format("live", valid.plaintext.slice(9, 25), "t".repeat(22))

    await api.run(Effect.gen(function*() {
      const clients = yield* ClientRepo.ClientRepo
      const client = yield* clients.get(Ids.ClientId.make("cli_a2"))
      if (Option.isSome(client)) yield* clients.update(new Tenancy.Client({ ...client.value, status: "archived" }))
      yield* (yield* TestClock.TestClock).advance(31 * 86_400_000)
    }))
    try {
      const presented = ["", "not-a-key", "adk_live_whatever", badChecksum, unknown, wrongSecret, revoked.plaintext, rotated.plaintext, expiring.plaintext, archived.plaintext]
      const responses = await Promise.all(presented.map((k) => call(api, { key: k }, "GET", "/v1/projects")))
      const reference = responses[0]
      if (reference === undefined) throw new Error("no response")
      const referenceBody = await reference.clone().text()
      expect(reference.status).toBe(401)
      expect(JSON.parse(referenceBody)).toMatchObject({ code: "unauthenticated", detail: ApiKeyAuthentication.invalidKey.detail })
      for (const response of responses) {
        expect(strip(response)).toEqual(strip(reference))
        expect(await response.text()).toBe(referenceBody)
      }
      expect((await call(api, { key: valid.plaintext }, "GET", "/v1/projects")).status).toBe(200)
      const events = await api.run(Effect.flatMap(AuditLog.AuditLog, (log) => log.query({ action: "apikey.verify" }, { after: null, limit: 200 })))
      const reasons = new Set(events.items.map((e) => e.details["reason"]))
      for (const reason of ["malformed", "checksum", "unknown", "mismatch", "revoked", "rotated", "expired", "client_archived"]) {
        expect(reasons).toContain(reason)
      }
    } finally {
      await api.run(Effect.gen(function*() {
        const clients = yield* ClientRepo.ClientRepo
        const client = yield* clients.get(Ids.ClientId.make("cli_a2"))
        if (Option.isSome(client)) yield* clients.update(new Tenancy.Client({ ...client.value, status: "active" }))
        yield* (yield* TestClock.TestClock).set(start)
      }))
    }
  })

  it("stamps each audit event with the X-Request-Id of the request that wrote it, a refused key's included", async () => {
    const creation = await call(api, adminA, "POST", keys("cli_a1"), { name: "Stamped", scope: "read", environment: "live" })
    expect(creation.status).toBe(201)
    const issued = await json(creation)
    const keyId = text(field(issued["api_key"], "key_id"))
    // The new key's id with a wrong secret: refusals are audited once per key and reason, and this key is new.
    const wrongSecret = ApiKey.format("live", text(issued["plaintext"]).slice(9, 25), "t".repeat(22))
    const refusal = await call(api, { key: wrongSecret }, "GET", "/v1/projects")
    expect(refusal.status).toBe(401)
    const events = (action: string) =>
      api.run(Effect.flatMap(AuditLog.AuditLog, (log) => log.query({ action }, { after: null, limit: 200 })))
    const created = (await events("apikey.create")).items.find((e) => e.targetId === keyId)
    const refused = (await events("apikey.verify")).items.find((e) => e.targetId === keyId)
    expect(created?.requestId).toBe(creation.headers.get("x-request-id"))
    expect(refused?.requestId).toBe(refusal.headers.get("x-request-id"))
  })

  it("counts every request made with a key, by status, exactly once the buffer is flushed", async () => {
    const { id, plaintext } = await create(api)
    const key = { key: plaintext }
    const plan = [
      ...Array.from({ length: 7 }, () => ["/v1/projects", 200] as const),
      ...Array.from({ length: 4 }, () => ["/v1/projects/prj_nope", 404] as const),
      ...Array.from({ length: 3 }, () => ["/v1/projects?limit=0", 400] as const),
      ...Array.from({ length: 2 }, () => [`${keys("cli_a1")}/${id}`, 200] as const)
    ]
    for (const [path, status] of plan) expect((await call(api, key, "GET", path)).status).toBe(status)
    await api.run(Effect.flatMap(UsageRecorder.UsageRecorder, (recorder) => recorder.flush))
    const from = new Date(start.getTime() - 60_000).toISOString()
    const to = new Date(start.getTime() + 60_000).toISOString()
    const response = await call(api, adminA, "GET", `${keys("cli_a1")}/${id}/usage?bucket=minute&from=${from}&to=${to}`)
    expect(response.status).toBe(200)
    expect(await json(response)).toEqual({
      key_id: id,
      bucket: "minute",
      from,
      to,
      total: plan.length,
      last_used_at: start.toISOString(),
      counts: [{
        start: start.toISOString(),
        total: plan.length,
        count_2xx: 9,
        count_4xx: 7,
        count_5xx: 0,
        by_status: { "200": 9, "400": 3, "404": 4 }
      }]
    })
    const listed = await json(await call(api, adminA, "GET", `${keys("cli_a1")}/${id}`))
    expect(listed["last_used_at"]).toBe(start.toISOString())
  })

  it("rotates with no body at all, and says an expired key cannot be rotated but can still be revoked", async () => {
    const plain = await create(api)
    const rotation = await call(api, adminA, "POST", `${keys("cli_a1")}/${plain.id}/rotate`)
    expect(rotation.status).toBe(200)
    expect((await json(rotation))["previous"]).toMatchObject({ key_id: plain.id, status: "rotated" })

    const expiring = await create(api, { expires: 30 })
    await api.run(Effect.flatMap(TestClock.TestClock, (clock) => clock.advance(31 * 86_400_000)))
    const refused = await call(api, adminA, "POST", `${keys("cli_a1")}/${expiring.id}/rotate`)
    expect(refused.status).toBe(409)
    const detail = text((await json(refused))["detail"])
    expect(detail).toContain("expired")
    expect(detail).toContain("create a new key")
    expect(detail).toContain("can still be revoked")
    expect((await call(api, adminA, "POST", `${keys("cli_a1")}/${expiring.id}/revoke`, { reason: "expired" })).status).toBe(200)
  })

  it("refuses a usage range that is not strict ISO 8601", async () => {
    const { id } = await create(api)
    for (const from of ["probe-32", "2026-01-01", "1 Jan 2026"]) {
      const response = await call(api, adminA, "GET", `${keys("cli_a1")}/${id}/usage?from=${encodeURIComponent(from)}`)
      expect(response.status).toBe(400)
      expect(text((await json(response))["detail"])).toContain("ISO 8601")
    }
  })

  it("refuses a usage range that ends before it starts", async () => {
    const { id } = await create(api)
    const response = await call(api, adminA, "GET", `${keys("cli_a1")}/${id}/usage?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z`)
    expect(response.status).toBe(400)
  })

  it("lists the API-key routes in the OpenAPI document", async () => {
    const spec = await json(await api.handler(new Request("http://localhost/v1/openapi.json")))
    expect(Object.keys(Object(spec["paths"]))).toEqual(expect.arrayContaining([
      "/v1/clients/{clientId}/api-keys",
      "/v1/clients/{clientId}/api-keys/{keyId}",
      "/v1/clients/{clientId}/api-keys/{keyId}/rotate",
      "/v1/clients/{clientId}/api-keys/{keyId}/revoke",
      "/v1/clients/{clientId}/api-keys/{keyId}/usage"
    ]))
  })
})

describe("rate limits", () => {
  const limit = 12
  let api: Api
  beforeAll(async () => {
    api = await ClockedWorld.open({
      ...options,
      policy: {
        default: { requests: limit, windowSeconds: 3600 },
        overrides: new Map([[World.userId("userA"), { requests: 2, windowSeconds: 3600 }]])
      }
    })
  })
  afterAll(() => api.close())

  it(`lets exactly ${limit} of ${limit + 8} simultaneous requests with one key through; 8 get 429 with Retry-After`, async () => {
    const { plaintext } = await create(api)
    const responses = await Promise.all(Array.from({ length: limit + 8 }, () => call(api, { key: plaintext }, "GET", "/v1/projects")))
    const ok = responses.filter((r) => r.status === 200)
    const limited = responses.filter((r) => r.status === 429)
    expect(ok.length).toBe(limit)
    expect(limited.length).toBe(8)
    for (const response of limited) {
      expect(response.headers.get("content-type")).toBe("application/problem+json")
      expect(Number(response.headers.get("retry-after"))).toBeGreaterThanOrEqual(1)
      expect(response.headers.get("ratelimit")).toMatch(/^"default";r=0;t=\d+$/)
      expect(await json(response)).toMatchObject({ status: 429, code: "rate_limited" })
    }
    const remaining = ok.map((r) => Number(/r=(\d+)/.exec(r.headers.get("ratelimit") ?? "")?.[1])).sort((a, b) => a - b)
    expect(remaining).toEqual(Array.from({ length: limit }, (_, i) => i))
  })

  it("puts RateLimit-Policy and RateLimit on every authenticated response, errors included", async () => {
    for (const path of ["/v1/me", "/v1/projects/prj_nope"]) {
      const response = await call(api, { bearer: "adminB" }, "GET", path)
      expect(response.headers.get("ratelimit-policy")).toBe(`"default";q=${limit};w=3600`)
      expect(response.headers.get("ratelimit")).toMatch(/^"default";r=\d+;t=\d+$/)
    }
    const anonymous = await api.handler(new Request("http://localhost/v1/me"))
    expect(anonymous.headers.get("ratelimit")).toBeNull()
  })

  it("limits bearer users per user, with per-principal overrides", async () => {
    const first = await call(api, userA, "GET", "/v1/me")
    expect(first.headers.get("ratelimit-policy")).toBe(`"override";q=2;w=3600`)
    expect((await call(api, userA, "GET", "/v1/me")).status).toBe(200)
    const third = await call(api, userA, "GET", "/v1/me")
    expect(third.status).toBe(429)
    expect(third.headers.get("retry-after")).not.toBeNull()
    expect((await call(api, { bearer: "userB" }, "GET", "/v1/me")).status).toBe(200)
  })
})

describe("rate-limit configuration", () => {
  it("parses limits and overrides, and refuses malformed ones", () => {
    expect(Either.getOrThrow(RateLimitPolicy.parseLimit("600/60"))).toEqual({ requests: 600, windowSeconds: 60 })
    const overrides = RateLimitPolicy.parseOverrides("key_abc=5/60, key_def=1000/60")
    expect(overrides._tag === "Right" ? [...overrides.right] : []).toEqual([
      ["key_abc", { requests: 5, windowSeconds: 60 }],
      ["key_def", { requests: 1000, windowSeconds: 60 }]
    ])
    for (const bad of ["0/60", "600", "600/0", "a/b", "-1/60"]) expect(RateLimitPolicy.parseLimit(bad)._tag).toBe("Left")
    expect(RateLimitPolicy.parseOverrides("key_abc")._tag).toBe("Left")
    expect(RateLimitPolicy.parseOverrides("")._tag).toBe("Right")
  })
})
