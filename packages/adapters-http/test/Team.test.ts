import { Http } from "@aidial/adapters-http"
import { ActivityRecorder, MemberActivity, Outbox } from "@aidial/domain"
import { Effect, Layer, ManagedRuntime, Redacted } from "effect"
import * as Jose from "jose"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as TeamWorld from "./TeamWorld.js"

const runtime = ManagedRuntime.make(TeamWorld.layer)
let handler: (request: Request) => Promise<Response> = () => Promise.reject(new Error("not started"))
let dispose: () => Promise<void> = () => Promise.resolve()

beforeAll(async () => {
  const context = await runtime.runtime()
  const web = Http.toWebHandler(Layer.succeedContext(context.context))
  handler = (request) => web.handler(request)
  dispose = web.dispose
})

afterAll(async () => {
  await dispose()
  await runtime.dispose()
})

const sign = (who: TeamWorld.Who) => {
  const now = Math.floor(TeamWorld.time.ms / 1000)
  return new Jose.SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(TeamWorld.subject(who))
    .setIssuer(TeamWorld.issuer)
    .setAudience(TeamWorld.audience)
    .setIssuedAt(now - 60)
    .setExpirationTime(now + 3600)
    .sign(TeamWorld.secret)
}

/** Every response body of the flow, to prove no invitation code ever reaches one. */
const seenBodies: Array<string> = []

type Caller = TeamWorld.Who | { readonly key: string } | null

const call = async (caller: Caller, method: string, path: string, body?: unknown): Promise<Response> => {
  const headers: Record<string, string> = {}
  if (caller !== null && typeof caller === "object") headers["x-api-key"] = caller.key
  else if (caller !== null) headers["authorization"] = `Bearer ${await sign(caller)}`
  if (body !== undefined) headers["content-type"] = "application/json"
  const response = await handler(
    new Request(`http://localhost${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) })
  )
  seenBodies.push(await response.clone().text())
  return response
}

const json = async (response: Response): Promise<unknown> => {
  const text = await response.text()
  return text.length === 0 ? null : JSON.parse(text)
}

/** A field of a JSON value, or `undefined`. */
const at = (value: unknown, ...path: ReadonlyArray<string | number>): unknown =>
  path.reduce<unknown>((v, key) => (typeof v === "object" && v !== null ? Reflect.get(v, key) : undefined), value)

const list = (value: unknown, key: string): ReadonlyArray<unknown> => {
  const items = at(value, key)
  if (!Array.isArray(items)) throw new Error(`${key} is not a list`)
  return items
}

const expectStatus = async (response: Response, status: number, code?: string) => {
  const body = await json(response)
  expect({ status: response.status, body }).toMatchObject({ status, ...(code !== undefined ? { body: { code } } : {}) })
  if (code !== undefined) expect(response.headers.get("content-type")).toBe("application/problem+json")
  return body
}

const pendingMail = () => runtime.runPromise(Effect.flatMap(Outbox.Outbox, (outbox) => outbox.pending(1000)))

/** The acceptance code in the newest outbox message to `email`; every message is acknowledged. */
const takeCode = async (email: string): Promise<string> => {
  const messages = await pendingMail()
  await runtime.runPromise(Effect.flatMap(Outbox.Outbox, (outbox) => outbox.acknowledge(messages.map((m) => m.id))))
  const mine = messages.filter((m) => m.recipient === email && m.topic === Outbox.invitationTopic)
  const last = mine[mine.length - 1]
  if (last === undefined) throw new Error(`no mail to ${email}`)
  const link = new URL(Redacted.value(last.payload)["link"] ?? "")
  const code = link.searchParams.get("code")
  if (code === null) throw new Error("no code in the link")
  return code
}

const invite = async (caller: Caller, orgId: string, email: string, role: string) => {
  const response = await call(caller, "POST", `/v1/partner-orgs/${orgId}/invitations`, { email, role })
  const body = await expectStatus(response, 201)
  return String(at(body, "invitation_id"))
}

const memberIds = async (orgId: string) =>
  list(await json(await call("platform", "GET", `/v1/partner-orgs/${orgId}/members`)), "members").map((m) => at(m, "user_id"))

const clientIds = async (who: TeamWorld.Who) => list(await json(await call(who, "GET", "/v1/clients")), "clients").map((c) => at(c, "client_id"))

const codesIssued: Array<string> = []

const state = { orgId: "", clientId: "", adaCode: "" }

describe("the partner-team flow over HTTP", () => {
  it("lets a platform admin provision a partner organisation, which starts provisioning", async () => {
    const body = await expectStatus(
      await call("platform", "POST", "/v1/partner-orgs", { name: "Nimbus Partners", description: "Resells in APAC" }),
      201
    )
    expect(body).toMatchObject({ name: "Nimbus Partners", description: "Resells in APAC", status: "provisioning" })
    state.orgId = String(at(body, "partner_org_id"))
    await expectStatus(await call("olly", "POST", "/v1/partner-orgs", { name: "Mine" }), 404)
  })

  it("invites a partner_admin: the response is metadata only and the outbox holds the acceptance link", async () => {
    const response = await call("platform", "POST", `/v1/partner-orgs/${state.orgId}/invitations`, {
      email: "  ADA@Partner.example ",
      role: "partner_admin",
      message: "Welcome aboard"
    })
    const text = await response.clone().text()
    const body = await expectStatus(response, 201)
    expect(body).toMatchObject({
      email: "ada@partner.example",
      role: "partner_admin",
      status: "pending",
      message: "Welcome aboard",
      partner_org_id: state.orgId,
      invited_by: TeamWorld.userId("platform")
    })
    expect(Object.keys(Object(body)).sort()).toEqual(
      ["accepted_by", "closed_at", "created_at", "email", "expires_at", "invitation_id", "invited_by", "message", "partner_org_id", "role", "status"]
    )
    const mail = await pendingMail()
    expect(mail.map((m) => [m.topic, m.recipient])).toEqual([["team.invitation", "ada@partner.example"]])
    state.adaCode = await takeCode("ada@partner.example")
    codesIssued.push(state.adaCode)
    expect(text).not.toContain(state.adaCode)
    expect(text).not.toContain(state.adaCode.split(".")[1])
  })

  it("lets the invited, verified user accept, which activates the organisation", async () => {
    expect(await json(await call("ada", "GET", "/v1/me"))).toMatchObject({ kind: "unaffiliated" })
    const body = await expectStatus(await call("ada", "POST", "/v1/invitations/accept", { code: state.adaCode }), 200)
    expect(body).toEqual({
      user_id: TeamWorld.userId("ada"),
      partner_org_id: state.orgId,
      role: "partner_admin",
      partner_org_status: "active"
    })
    expect(await json(await call("platform", "GET", `/v1/partner-orgs/${state.orgId}`))).toMatchObject({ status: "active" })
    expect(await json(await call("ada", "GET", "/v1/me"))).toMatchObject({ role: "partner_admin", partner_org_id: state.orgId })
  })

  it("refuses a second acceptance of the same code with 409 and changes nothing", async () => {
    await expectStatus(await call("ada", "POST", "/v1/invitations/accept", { code: state.adaCode }), 409, "invitation_already_accepted")
    await expectStatus(await call("bo", "POST", "/v1/invitations/accept", { code: state.adaCode }), 409, "invitation_already_accepted")
    expect(await memberIds(state.orgId)).toEqual([TeamWorld.userId("ada")])
  })

  it("answers an unknown or forged code with 404", async () => {
    const [id] = state.adaCode.split(".")
    await expectStatus(
      await call("bo", "POST", "/v1/invitations/accept", { code: `${id}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA` }),
      404,
      "invitation_not_found"
    )
    await expectStatus(await call("bo", "POST", "/v1/invitations/accept", { code: "nonsense" }), 404, "invitation_not_found")
  })

  it("lets the new partner_admin provision a client in their own organisation only", async () => {
    const body = await expectStatus(
      await call("ada", "POST", "/v1/clients", { name: "Harbour Dental", partner_org_id: state.orgId }),
      201
    )
    expect(body).toMatchObject({ name: "Harbour Dental", partner_org_id: state.orgId, status: "active" })
    state.clientId = String(at(body, "client_id"))
    await expectStatus(await call("ada", "POST", "/v1/clients", { name: "Elsewhere", partner_org_id: TeamWorld.ids.otherOrg }), 404)
    await expectStatus(await call("ada", "POST", "/v1/clients", { name: "Direct", partner_org_id: null }), 404)
    expect(await clientIds("ada")).toEqual([state.clientId])
  })

  it("invites a partner_user who accepts, is assigned the client and then sees exactly that client", async () => {
    await invite("ada", state.orgId, "bo@partner.example", "partner_user")
    const code = await takeCode("bo@partner.example")
    codesIssued.push(code)
    expect(await json(await call("bo", "POST", "/v1/invitations/accept", { code }))).toMatchObject({ role: "partner_user" })
    const other = await expectStatus(await call("ada", "POST", "/v1/clients", { name: "Second Client", partner_org_id: state.orgId }), 201)
    expect(await clientIds("bo")).toEqual([])
    await expectStatus(await call("ada", "PUT", `/v1/clients/${state.clientId}/assignees/${TeamWorld.userId("bo")}`), 204)
    expect(await json(await call("ada", "GET", `/v1/clients/${state.clientId}/assignees`))).toEqual({
      assignees: [{ user_id: TeamWorld.userId("bo") }]
    })
    expect(await clientIds("bo")).toEqual([state.clientId])
    await expectStatus(await call("bo", "GET", `/v1/clients/${String(at(other, "client_id"))}`), 404)
    await expectStatus(await call("bo", "PUT", `/v1/clients/${state.clientId}/assignees/${TeamWorld.userId("bo")}`), 403)
  })

  it("refuses to assign a partner_admin (422) or a member of another organisation (404)", async () => {
    await expectStatus(
      await call("ada", "PUT", `/v1/clients/${state.clientId}/assignees/${TeamWorld.userId("ada")}`),
      422,
      "assignee_not_partner_user"
    )
    await expectStatus(await call("ada", "PUT", `/v1/clients/${state.clientId}/assignees/${TeamWorld.userId("oscar")}`), 404)
  })

  it("lists members with role, and partner_user rights stop at viewing", async () => {
    const body = await json(await call("bo", "GET", `/v1/partner-orgs/${state.orgId}/members`))
    expect(list(body, "members").map((m) => [at(m, "user_id"), at(m, "role"), at(m, "email")])).toEqual([
      [TeamWorld.userId("ada"), "partner_admin", "ada@partner.example"],
      [TeamWorld.userId("bo"), "partner_user", "bo@partner.example"]
    ])
    await expectStatus(await call("bo", "POST", `/v1/partner-orgs/${state.orgId}/invitations`, { email: "x@partner.example", role: "partner_user" }), 403)
    await expectStatus(await call("bo", "PATCH", `/v1/partner-orgs/${state.orgId}/members/${TeamWorld.userId("bo")}`, { role: "partner_admin" }), 403)
  })

  it("changes roles, but the last partner_admin can be neither demoted nor removed (409)", async () => {
    const path = `/v1/partner-orgs/${state.orgId}/members`
    await expectStatus(await call("ada", "PATCH", `${path}/${TeamWorld.userId("ada")}`, { role: "partner_user" }), 409, "last_partner_admin")
    await expectStatus(await call("ada", "DELETE", `${path}/${TeamWorld.userId("ada")}`), 409, "last_partner_admin")
    expect(await json(await call("ada", "PATCH", `${path}/${TeamWorld.userId("bo")}`, { role: "partner_admin" }))).toEqual({
      user_id: TeamWorld.userId("bo"),
      partner_org_id: state.orgId,
      role: "partner_admin"
    })
    expect(await json(await call("ada", "PATCH", `${path}/${TeamWorld.userId("bo")}`, { role: "partner_user" }))).toMatchObject({
      role: "partner_user"
    })
    await expectStatus(await call("ada", "PATCH", `${path}/${TeamWorld.userId("olly")}`, { role: "partner_user" }), 404)
    await expectStatus(await call("olly", "PATCH", `${path}/${TeamWorld.userId("bo")}`, { role: "partner_admin" }), 404)
  })
})

describe("mass assignment", () => {
  it.each([
    ["POST", "/invitations", { email: "new@partner.example", role: "partner_user", status: "accepted" }],
    ["POST", "/invitations", { email: "new@partner.example", role: "partner_user", partnerOrgId: "org_other" }],
    ["POST", "/invitations", { email: "new@partner.example", role: "partner_user", partner_org_id: "org_other" }],
    ["PATCH", "/members/usr_bo", { role: "partner_user", userId: "usr_ada" }],
    ["PATCH", "/members/usr_bo", { role: "partner_user", partnerOrgId: "org_other" }],
    ["PATCH", "", { name: "Renamed", status: "provisioning" }],
    ["PATCH", "", { name: "Renamed", partner_org_id: "org_other" }]
  ] as const)("refuses %s partner-orgs/{id}%s with an undeclared field (400) and changes nothing", async (method, suffix, body) => {
    const before = await json(await call("platform", "GET", `/v1/partner-orgs/${state.orgId}/invitations`))
    const membersBefore = await json(await call("platform", "GET", `/v1/partner-orgs/${state.orgId}/members`))
    const orgBefore = await json(await call("platform", "GET", `/v1/partner-orgs/${state.orgId}`))
    await expectStatus(await call("ada", method, `/v1/partner-orgs/${state.orgId}${suffix}`, body), 400, "bad_request")
    expect(await json(await call("platform", "GET", `/v1/partner-orgs/${state.orgId}/invitations`))).toEqual(before)
    expect(await json(await call("platform", "GET", `/v1/partner-orgs/${state.orgId}/members`))).toEqual(membersBefore)
    expect(await json(await call("platform", "GET", `/v1/partner-orgs/${state.orgId}`))).toEqual(orgBefore)
    expect(await pendingMail()).toEqual([])
  })

  it.each([
    ["POST", "/v1/clients", { name: "Sneaky", partner_org_id: null, status: "archived" }],
    ["POST", "/v1/clients", { name: "Sneaky", partner_org_id: null, clientId: "cli_mine" }],
    ["POST", "/v1/clients", { name: "Sneaky", partner_org_id: null, userId: "usr_bo" }]
  ] as const)("refuses %s %s with an undeclared field (400) and provisions nothing", async (method, path, body) => {
    const before = await clientIds("platform")
    await expectStatus(await call("platform", method, path, body), 400, "bad_request")
    expect(await clientIds("platform")).toEqual(before)
  })

  it("refuses a client update or an acceptance with an undeclared field", async () => {
    await expectStatus(await call("ada", "PATCH", `/v1/clients/${state.clientId}`, { name: "X", partner_org_id: "org_other" }), 400, "bad_request")
    await expectStatus(await call("ada", "PATCH", `/v1/clients/${state.clientId}`, { status: "archived" }), 400, "bad_request")
    expect(await json(await call("ada", "GET", `/v1/clients/${state.clientId}`))).toMatchObject({ name: "Harbour Dental", status: "active" })
    await expectStatus(await call("dee", "POST", "/v1/invitations/accept", { code: state.adaCode, role: "partner_admin" }), 400, "bad_request")
    expect(await json(await call("dee", "GET", "/v1/me"))).toMatchObject({ kind: "unaffiliated" })
  })

  it("answers a well-formed but rejected value with 422", async () => {
    await expectStatus(await call("ada", "PATCH", `/v1/clients/${state.clientId}`, { name: "   " }), 422, "invalid_value")
  })
})

describe("refused acceptances change nothing", () => {
  it("refuses a user whose email is not verified (403)", async () => {
    const id = await invite("ada", state.orgId, "cy@partner.example", "partner_user")
    const code = await takeCode("cy@partner.example")
    codesIssued.push(code)
    await expectStatus(await call("cy", "POST", "/v1/invitations/accept", { code }), 403, "email_not_verified")
    const invitations = list(await json(await call("ada", "GET", `/v1/partner-orgs/${state.orgId}/invitations?status=pending`)), "invitations")
    expect(invitations.map((i) => [at(i, "invitation_id"), at(i, "status")])).toEqual([[id, "pending"]])
  })

  it("refuses a user whose email is not the invited one (403)", async () => {
    await invite("ada", state.orgId, "someone.else@partner.example", "partner_admin")
    const code = await takeCode("someone.else@partner.example")
    codesIssued.push(code)
    await expectStatus(await call("dee", "POST", "/v1/invitations/accept", { code }), 403, "invitation_email_mismatch")
    expect(await json(await call("dee", "GET", "/v1/me"))).toMatchObject({ kind: "unaffiliated" })
  })

  it("refuses a revoked invitation (410)", async () => {
    const id = await invite("ada", state.orgId, "eve@partner.example", "partner_user")
    const code = await takeCode("eve@partner.example")
    codesIssued.push(code)
    expect(await json(await call("ada", "POST", `/v1/partner-orgs/${state.orgId}/invitations/${id}/revoke`))).toMatchObject({
      invitation_id: id,
      status: "revoked"
    })
    await expectStatus(await call("eve", "POST", "/v1/invitations/accept", { code }), 410, "invitation_revoked")
    await expectStatus(await call("ada", "POST", `/v1/partner-orgs/${state.orgId}/invitations/${id}/revoke`), 410, "invitation_revoked")
  })

  it("voids the old link on resend, and refuses an expired invitation (410)", async () => {
    const id = await invite("ada", state.orgId, "fay@partner.example", "partner_user")
    const first = await takeCode("fay@partner.example")
    await expectStatus(await call("ada", "POST", `/v1/partner-orgs/${state.orgId}/invitations`, { email: "fay@partner.example", role: "partner_user" }), 409, "already_invited")
    const resent = await expectStatus(await call("ada", "POST", `/v1/partner-orgs/${state.orgId}/invitations/${id}/resend`), 201)
    expect(at(resent, "invitation_id")).not.toBe(id)
    const second = await takeCode("fay@partner.example")
    codesIssued.push(first, second)
    await expectStatus(await call("fay", "POST", "/v1/invitations/accept", { code: first }), 410, "invitation_revoked")
    TeamWorld.time.ms += 8 * 24 * 60 * 60 * 1000
    await expectStatus(await call("fay", "POST", "/v1/invitations/accept", { code: second }), 410, "invitation_expired")
    const invitation = list(await json(await call("ada", "GET", `/v1/partner-orgs/${state.orgId}/invitations`)), "invitations")
      .find((i) => at(i, "invitation_id") === at(resent, "invitation_id"))
    expect(at(invitation, "status")).toBe("expired")
    expect(await memberIds(state.orgId)).toEqual([TeamWorld.userId("ada"), TeamWorld.userId("bo")])
  })

  it("addresses an invitation only under its own organisation", async () => {
    const pending = list(await json(await call("ada", "GET", `/v1/partner-orgs/${state.orgId}/invitations?status=pending`)), "invitations")
    const id = String(at(pending[0], "invitation_id"))
    await expectStatus(await call("platform", "POST", `/v1/partner-orgs/${TeamWorld.ids.otherOrg}/invitations/${id}/revoke`), 404)
    await expectStatus(await call("olly", "POST", `/v1/partner-orgs/${state.orgId}/invitations/${id}/revoke`), 404)
  })
})

describe("API keys on the bearer-only families", () => {
  const key = { key: TeamWorld.manageKey }
  it.each([
    ["GET", "/v1/partner-orgs/org_other", undefined],
    ["GET", "/v1/partner-orgs/org_other/members", undefined],
    ["POST", "/v1/partner-orgs/org_other/invitations", { email: "k@other.example", role: "partner_user" }],
    ["PATCH", "/v1/partner-orgs/org_other/members/usr_oscar", { role: "partner_admin" }],
    ["DELETE", "/v1/partner-orgs/org_other/members/usr_oscar", undefined],
    ["POST", "/v1/partner-orgs", { name: "Keyed" }],
    ["POST", "/v1/clients", { name: "Keyed", partner_org_id: "org_other" }],
    ["PATCH", "/v1/clients/cli_other", { name: "Keyed" }],
    ["POST", "/v1/clients/cli_other/archive", undefined],
    ["GET", "/v1/clients/cli_other/assignees", undefined],
    ["PUT", "/v1/clients/cli_other/assignees/usr_oscar", undefined],
    ["GET", "/v1/audit-events", undefined],
    ["GET", "/v1/audit-events?client_id=cli_other", undefined],
    ["POST", "/v1/invitations/accept", { code: "inv_1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" }]
  ] as const)("refuses %s %s with 403 or 404", async (method, path, body) => {
    const response = await call(key, method, path, body)
    expect([403, 404]).toContain(response.status)
  })

  it("leaves the other organisation as it was", async () => {
    expect(await memberIds(TeamWorld.ids.otherOrg)).toEqual([TeamWorld.userId("olly"), TeamWorld.userId("oscar")])
    expect(await json(await call("olly", "GET", "/v1/clients/cli_other"))).toMatchObject({ name: "Other Client", status: "active" })
  })
})

describe("removing a member", () => {
  it("removes their membership and their assignments", async () => {
    await expectStatus(await call("ada", "DELETE", `/v1/partner-orgs/${state.orgId}/members/${TeamWorld.userId("bo")}`), 204)
    expect(await memberIds(state.orgId)).toEqual([TeamWorld.userId("ada")])
    expect(await json(await call("ada", "GET", `/v1/clients/${state.clientId}/assignees`))).toEqual({ assignees: [] })
    expect(await json(await call("bo", "GET", "/v1/me"))).toMatchObject({ kind: "unaffiliated" })
    expect(await clientIds("bo")).toEqual([])
  })
})

describe("GET /v1/audit-events", () => {
  const events = async (who: TeamWorld.Who, query = "") => list(await json(await call(who, "GET", `/v1/audit-events${query}`)), "events")

  it("shows a partner_admin every event of their organisation and its clients, and nothing else", async () => {
    const all = await events("ada", "?limit=200")
    expect(all.every((e) => at(e, "partner_org_id") === state.orgId)).toBe(true)
    expect(new Set(all.map((e) => at(e, "action")))).toEqual(
      new Set([
        "partner.provision",
        "team.invite",
        "team.invitation.accept",
        "partner.activate",
        "client.provision",
        "client.assign",
        "team.member.role",
        "team.invitation.revoke",
        "team.invitation.resend",
        "team.member.remove"
      ])
    )
    const accept = all.find((e) => at(e, "action") === "partner.activate")
    expect(accept).toMatchObject({ actor: { kind: "user", id: TeamWorld.userId("ada") }, target_id: state.orgId, outcome: "success" })
    expect(String(at(accept, "request_id"))).toMatch(/^req_/)
  })

  it("filters by action, actor, client and time, and pages with a cursor", async () => {
    const assigns = await events("ada", "?action=client.assign")
    expect(assigns.map((e) => [at(e, "client_id"), at(e, "details", "user_id")])).toEqual([[state.clientId, TeamWorld.userId("bo")]])
    const byAda = await events("ada", `?actor_id=${TeamWorld.userId("ada")}`)
    expect(byAda.length).toBeGreaterThan(0)
    expect(byAda.every((e) => at(e, "actor", "id") === TeamWorld.userId("ada"))).toBe(true)
    const forClient = await events("ada", `?client_id=${state.clientId}`)
    expect(forClient.map((e) => at(e, "action"))).toEqual(["client.provision", "client.assign"])
    expect(await events("ada", "?to=2026-01-01T00:00:00.000Z")).toEqual([])
    expect((await events("ada", "?from=2026-01-05T00:00:00.000Z")).map((e) => at(e, "action"))).toEqual(["team.member.remove"])

    const all = await events("ada", "?limit=200")
    const seen: Array<unknown> = []
    let cursor: unknown = null
    do {
      const page: unknown = await json(await call("ada", "GET", `/v1/audit-events?limit=3${cursor === null ? "" : `&cursor=${String(cursor)}`}`))
      const items = list(page, "events")
      expect(items.length).toBeLessThanOrEqual(3)
      seen.push(...items)
      cursor = at(page, "next_cursor")
    } while (cursor !== null)
    expect(seen).toEqual(all)
  })

  it("refuses a partner_user (403) and another organisation's client (404)", async () => {
    await expectStatus(await call("oscar", "GET", "/v1/audit-events"), 403, "forbidden")
    await expectStatus(await call("ada", "GET", `/v1/audit-events?client_id=${TeamWorld.ids.otherClient}`), 404, "not_found")
    expect((await events("olly")).every((e) => at(e, "partner_org_id") === TeamWorld.ids.otherOrg)).toBe(true)
    expect((await events("platform")).length).toBeGreaterThan(0)
  })

  it("answers a malformed filter with 400", async () => {
    await expectStatus(await call("ada", "GET", "/v1/audit-events?from=yesterday"), 400, "bad_request")
    // Strict ISO 8601 only: a lenient date parse would read "probe-32" as the year 2032.
    await expectStatus(await call("ada", "GET", "/v1/audit-events?from=probe-32"), 400, "bad_request")
    await expectStatus(await call("ada", "GET", "/v1/audit-events?to=2026-01-05"), 400, "bad_request")
    await expectStatus(await call("ada", "GET", "/v1/audit-events?limit=0"), 400, "bad_request")
  })

  it("has no route that changes an event", async () => {
    const [first] = await events("platform")
    const id = String(at(first, "event_id"))
    for (const method of ["PUT", "PATCH", "DELETE", "POST"]) {
      expect((await call("platform", method, `/v1/audit-events/${id}`, method === "DELETE" ? undefined : {})).status).toBe(404)
      expect([404, 405]).toContain((await call("platform", method, "/v1/audit-events", method === "DELETE" ? undefined : {})).status)
    }
    expect((await events("platform", "?limit=200")).find((e) => at(e, "event_id") === id)).toEqual(first)
  })

  it("never holds an invitation code or token, and no response ever did", async () => {
    const text = JSON.stringify(await events("platform", "?limit=200"))
    expect(codesIssued.length).toBeGreaterThan(4)
    for (const code of codesIssued) {
      expect(text).not.toContain(code)
      expect(text).not.toContain(code.split(".")[1])
    }
    expect(seenBodies.length).toBeGreaterThan(100)
    for (const body of seenBodies) for (const code of codesIssued) expect(body).not.toContain(code.split(".")[1])
  })
})

describe("last-active times", () => {
  it("are noted by authentication without a write, and written by the buffer's flush", async () => {
    const lastActive = () =>
      runtime.runPromise(Effect.flatMap(MemberActivity.MemberActivity, (activity) => activity.lastActive([TeamWorld.userId("ada")])))
    await runtime.runPromise(Effect.flatMap(ActivityRecorder.ActivityRecorder, (buffer) => buffer.flush))
    TeamWorld.time.ms += 60_000
    await call("ada", "GET", "/v1/me")
    expect((await lastActive()).get(TeamWorld.userId("ada"))?.getTime()).toBeLessThan(TeamWorld.time.ms)
    expect(await runtime.runPromise(Effect.map(ActivityRecorder.ActivityRecorder, (buffer) => buffer.pending()))).toBeGreaterThan(0)
    await runtime.runPromise(Effect.flatMap(ActivityRecorder.ActivityRecorder, (buffer) => buffer.flush))
    expect((await lastActive()).get(TeamWorld.userId("ada"))?.getTime()).toBe(TeamWorld.time.ms)
    const members = list(await json(await call("ada", "GET", `/v1/partner-orgs/${state.orgId}/members`)), "members")
    expect(at(members[0], "last_active_at")).toBe(new Date(TeamWorld.time.ms).toISOString())
  })
})

describe("the OpenAPI document", () => {
  it("lists the partner-team, client administration and audit routes", async () => {
    const spec = await json(await call(null, "GET", "/v1/openapi.json"))
    const paths = Object(at(spec, "paths"))
    expect(Object.keys(paths)).toEqual(expect.arrayContaining([
      "/v1/partner-orgs",
      "/v1/partner-orgs/{partnerOrgId}",
      "/v1/partner-orgs/{partnerOrgId}/members",
      "/v1/partner-orgs/{partnerOrgId}/members/{userId}",
      "/v1/partner-orgs/{partnerOrgId}/invitations",
      "/v1/partner-orgs/{partnerOrgId}/invitations/{invitationId}/resend",
      "/v1/partner-orgs/{partnerOrgId}/invitations/{invitationId}/revoke",
      "/v1/invitations/accept",
      "/v1/clients",
      "/v1/clients/{clientId}",
      "/v1/clients/{clientId}/archive",
      "/v1/clients/{clientId}/assignees",
      "/v1/clients/{clientId}/assignees/{userId}",
      "/v1/audit-events"
    ]))
    expect(Object.keys(Object(at(paths, "/v1/audit-events")))).toEqual(["get"])
    expect(JSON.stringify(at(paths, "/v1/invitations/accept"))).toContain("#/components/schemas/Gone")
    expect(JSON.stringify(at(spec, "components", "schemas", "Gone"))).toContain("invitation_revoked")
  })
})

describe("archiving a client", () => {
  it("makes it read-only", async () => {
    expect(await json(await call("ada", "POST", `/v1/clients/${state.clientId}/archive`))).toMatchObject({ status: "archived" })
    await expectStatus(await call("ada", "PATCH", `/v1/clients/${state.clientId}`, { name: "Again" }), 404)
    expect(await json(await call("ada", "GET", `/v1/clients/${state.clientId}`))).toMatchObject({ status: "archived" })
  })
})
