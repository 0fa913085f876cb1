/**
 * Invitation links point at the port the server listens on, also when it was started with `PORT=0` and the
 * system picked the port: the printed link (what the invitee opens) names that port, never `:0`.
 */
import { Team } from "@aidial/domain"
import { Context } from "effect"
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest"
import * as NodeServer from "./support/NodeServer.js"

let server: NodeServer.Server
const printed: Array<string> = []

beforeAll(async () => {
  vi.spyOn(console, "log").mockImplementation((...parts: Array<unknown>) => {
    printed.push(parts.map(String).join(" "))
  })
  server = await NodeServer.start("links", { PORT: "0" })
})
afterAll(async () => {
  await server.stop()
  vi.restoreAllMocks()
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe("invitation links of a server started on PORT=0", () => {
  it("name the port the server is bound to", async () => {
    expect(server.config.port).toBe(0)
    expect(server.port).toBeGreaterThan(0)
    expect(Context.get(server.context, Team.InvitationSettings).acceptUrl).toBe(`http://127.0.0.1:${server.port}/accept`)

    const admin = { ...server.bearer("demo-platform-admin"), "content-type": "application/json" }
    const org = await fetch(`${server.url}/v1/partner-orgs`, { method: "POST", headers: admin, body: JSON.stringify({ name: "Port Partners" }) })
    const orgId = String(Object(await org.json())["partner_org_id"])
    const invited = await fetch(`${server.url}/v1/partner-orgs/${orgId}/invitations`, {
      method: "POST",
      headers: admin,
      body: JSON.stringify({ email: "port.partner@example.com", role: "partner_admin" })
    })
    expect(invited.status).toBe(201)
    // The outbox is printed about once a second.
    let line: string | undefined
    for (let waited = 0; line === undefined && waited < 5000; waited += 100) {
      line = printed.find((l) => l.includes("to port.partner@example.com: "))
      if (line === undefined) await sleep(100)
    }
    const link = new URL(line?.split(": ").at(-1) ?? "http://unprinted/")
    expect(link.origin).toBe(server.url)
    expect(link.pathname).toBe("/accept")
    expect(link.searchParams.get("code")).toMatch(/^inv_/)
  })
})
