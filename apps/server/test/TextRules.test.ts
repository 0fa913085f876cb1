/**
 * The text rules of `Text.ts` on every field that takes a name, a description, a message, an email or a
 * date: each forbidden class of character is a 400 and changes nothing; a date that does not exist is a
 * 400 rather than a rolled-over one.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as DemoKeys from "../src/DemoKeys.js"
import * as NodeServer from "./support/NodeServer.js"

let server: NodeServer.Server
let keyId = ""

beforeAll(async () => {
  server = await NodeServer.start("text")
  const live = server.demoKeys.find((k) => k.environment === "live")
  if (live === undefined) throw new Error("a fresh database gets a live demo key")
  keyId = live.id
})
afterAll(() => server.stop())

/** One of each class of character the rules refuse. */
const forbidden: ReadonlyArray<readonly [string, string]> = [
  ["NUL", "\u0000"],
  ["a C0 control", "\u0001"],
  ["escape", "\u001B"],
  ["carriage return", "\r"],
  ["DEL", "\u007F"],
  ["a C1 control", "\u0085"],
  ["a C1 control (CSI)", "\u009B"],
  ["right-to-left override", "\u202E"],
  ["left-to-right embedding", "\u202A"],
  ["first strong isolate", "\u2068"],
  ["a lone surrogate", "\uD800"]
]

/** Fields that take one line: a line feed or tab is refused there too. */
const lineBreaks: ReadonlyArray<readonly [string, string]> = [["line feed", "\n"], ["tab", "\t"]]

interface Field {
  readonly label: string
  readonly method: string
  readonly path: () => string
  readonly body: (text: string) => Record<string, unknown>
  readonly line: boolean
}

const keys = () => `/v1/clients/${DemoKeys.clientId}/api-keys`

const fields: ReadonlyArray<Field> = [
  { label: "client name (create)", method: "POST", path: () => "/v1/clients", body: (t) => ({ name: `Dental ${t}Co`, partner_org_id: "org_acme" }), line: true },
  { label: "client name (edit)", method: "PATCH", path: () => `/v1/clients/${DemoKeys.clientId}`, body: (t) => ({ name: `Dental ${t}Co` }), line: true },
  { label: "partner name (create)", method: "POST", path: () => "/v1/partner-orgs", body: (t) => ({ name: `Nimbus ${t}` }), line: true },
  { label: "partner description (create)", method: "POST", path: () => "/v1/partner-orgs", body: (t) => ({ name: "Nimbus", description: `Resells ${t}agents` }), line: false },
  { label: "partner name (edit)", method: "PATCH", path: () => "/v1/partner-orgs/org_acme", body: (t) => ({ name: `Acme ${t}` }), line: true },
  { label: "partner description (edit)", method: "PATCH", path: () => "/v1/partner-orgs/org_acme", body: (t) => ({ description: `About ${t}us` }), line: false },
  { label: "invitation email", method: "POST", path: () => "/v1/partner-orgs/org_acme/invitations", body: (t) => ({ email: `new${t}@example.com`, role: "partner_user" }), line: true },
  { label: "invitation message", method: "POST", path: () => "/v1/partner-orgs/org_acme/invitations", body: (t) => ({ email: "welcome@example.com", role: "partner_user", message: `Hi ${t}there` }), line: false },
  { label: "key name", method: "POST", path: keys, body: (t) => ({ name: `CRM ${t}sync`, scope: "read", environment: "live" }), line: true },
  { label: "key description", method: "POST", path: keys, body: (t) => ({ name: "CRM", description: `For ${t}sync`, scope: "read", environment: "live" }), line: false },
  { label: "revoke reason", method: "POST", path: () => `${keys()}/${keyId}/revoke`, body: (t) => ({ reason: `leaked ${t}` }), line: true },
  { label: "project name (create)", method: "POST", path: () => `/v1/projects?client_id=${DemoKeys.clientId}`, body: (t) => ({ display_name: `Front ${t}desk`, timezone: "Australia/Sydney", environment: "live", client_id: DemoKeys.clientId }), line: true },
  { label: "project name (edit)", method: "PATCH", path: () => `/v1/projects/prj_acme_dental_live?client_id=${DemoKeys.clientId}`, body: (t) => ({ display_name: `Front ${t}desk` }), line: true }
]

const send = (field: Field, text: string) =>
  fetch(`${server.url}${field.path()}`, {
    method: field.method,
    headers: { ...server.bearer("demo-platform-admin"), "content-type": "application/json" },
    body: JSON.stringify(field.body(text))
  })

const state = async () => {
  const read = async (path: string) => (await fetch(`${server.url}${path}`, { headers: server.bearer("demo-platform-admin") })).text()
  return {
    events: (await server.auditEvents()).length,
    client: await read(`/v1/clients/${DemoKeys.clientId}`),
    org: await read("/v1/partner-orgs/org_acme"),
    key: await read(`${keys()}/${keyId}`),
    project: await read(`/v1/projects/prj_acme_dental_live?client_id=${DemoKeys.clientId}`)
  }
}

describe("text rules", () => {
  it("refuse every forbidden class of character in every name, description, message and email with 400, changing nothing", async () => {
    const before = await state()
    for (const field of fields) {
      for (const [label, character] of [...forbidden, ...(field.line ? lineBreaks : [])]) {
        const response = await send(field, character)
        const body = await response.text()
        expect({ field: field.label, character: label, status: response.status }).toEqual({ field: field.label, character: label, status: 400 })
        expect(body).toContain("bad_request")
      }
    }
    expect(await state()).toEqual(before)
  })

  it("accept line feeds and tabs in descriptions and messages, and ordinary non-ASCII text everywhere", async () => {
    const field = (label: string) => {
      const found = fields.find((f) => f.label === label)
      if (found === undefined) throw new Error(`no field ${label}`)
      return found
    }
    expect((await send(field("partner description (edit)"), "\n\tüñí 中文 עברית ")).status).toBe(200)
    expect((await send(field("client name (edit)"), "Zürich Ünïcødé ")).status).toBe(200)
  })
})

describe("dates", () => {
  it.each([
    ["30 February", "2030-02-30T00:00:00Z"],
    ["31 April", "2030-04-31T00:00:00Z"],
    ["29 February of a common year", "2031-02-29T00:00:00Z"],
    ["hour 24", "2030-01-01T24:00:00Z"],
    ["minute 60", "2030-01-01T00:60:00Z"],
    ["no zone", "2030-01-01T00:00:00"],
    ["a date without a time", "2030-01-01"],
    ["a loose format", "January 1, 2030"]
  ])("refuse %s as a key's expiry with 400, creating nothing", async (_, expires) => {
    const before = (await server.auditEvents()).length
    const response = await fetch(`${server.url}${keys()}`, {
      method: "POST",
      headers: { ...server.bearer("demo-platform-admin"), "content-type": "application/json" },
      body: JSON.stringify({ name: "dated", scope: "read", environment: "live", expires })
    })
    expect(response.status).toBe(400)
    expect((await server.auditEvents()).length).toBe(before)
  })

  it("refuse a date that does not exist in the audit filter with 400", async () => {
    const response = await fetch(`${server.url}/v1/audit-events?from=2030-02-30T00:00:00Z`, { headers: server.bearer("demo-platform-admin") })
    expect(response.status).toBe(400)
  })

  it("accept 29 February of a leap year, with an offset", async () => {
    const response = await fetch(`${server.url}${keys()}`, {
      method: "POST",
      headers: { ...server.bearer("demo-platform-admin"), "content-type": "application/json" },
      body: JSON.stringify({ name: "leap", scope: "read", environment: "live", expires: "2032-02-29T12:30:00+10:00" })
    })
    expect(response.status).toBe(201)
    const body: unknown = await response.json()
    const key: unknown = typeof body === "object" && body !== null ? Reflect.get(body, "api_key") : null
    expect(typeof key === "object" && key !== null ? Reflect.get(key, "expires_at") : null).toBe("2032-02-29T02:30:00.000Z")
  })
})

describe("the same requests with ordinary text", () => {
  it("are not refused by the text rules (so the 400s above are the rules' own)", async () => {
    for (const field of fields) {
      const response = await send(field, "ok")
      expect({ field: field.label, status: response.status }).not.toEqual({ field: field.label, status: 400 })
    }
  })
})
