/**
 * The request envelope on a real socket: bodies over the cap are refused while they stream (the process
 * never holds them, and serves the next request), every JSON route refuses other media types and invalid
 * UTF-8 and changes nothing, and Node's own parser refusals are problem+json.
 */
import { OpenApi } from "@effect/platform"
import { Api } from "@aidial/adapters-http"
import { connect } from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as DemoKeys from "../src/DemoKeys.js"
import * as NodeServer from "./support/NodeServer.js"

let server: NodeServer.Server

beforeAll(async () => {
  server = await NodeServer.start("limits")
})
afterAll(() => server.stop())

const admin = () => server.bearer("demo-platform-admin")

/** A body of `total` bytes made lazily, 64 KiB at a time; `sent()` says how much was pulled. */
const lazyBody = (total: number) => {
  let sent = 0
  const chunk = new Uint8Array(64 * 1024).fill(0x20)
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) return controller.close()
      sent += chunk.length
      controller.enqueue(chunk)
    }
  })
  return { stream, sent: () => sent }
}

const problemOf = async (response: Response) => {
  expect(response.headers.get("content-type")).toBe("application/problem+json")
  const body: unknown = JSON.parse(await response.text())
  return body
}

const clientName = async () => {
  const response = await fetch(`${server.url}/v1/clients/${DemoKeys.clientId}`, { headers: admin() })
  const body: unknown = await response.json()
  return typeof body === "object" && body !== null ? Reflect.get(body, "name") : undefined
}

describe("body size", () => {
  it("answers a Content-Length over the cap with 413 before reading, and closes the connection", async () => {
    const response = await fetch(`${server.url}/v1/clients/${DemoKeys.clientId}`, {
      method: "PATCH",
      headers: { ...admin(), "content-type": "application/json" },
      body: `{"name":"${"x".repeat(2 * 1024 * 1024)}"}`
    })
    expect(response.status).toBe(413)
    expect(response.headers.get("connection")).toBe("close")
    expect(await problemOf(response)).toMatchObject({ status: 413, code: "payload_too_large" })
  })

  it("refuses a chunked body far larger than the process could hold as soon as it crosses the cap", async () => {
    const before = process.memoryUsage().rss
    const names = await clientName()
    const events = (await server.auditEvents()).length
    // 8 GiB, more than this process's heap could ever hold; generated only as the server reads it.
    const body = lazyBody(8 * 1024 ** 3)
    const response = await fetch(`${server.url}/v1/clients/${DemoKeys.clientId}`, {
      method: "PATCH",
      headers: { ...admin(), "content-type": "application/json" },
      body: body.stream,
      duplex: "half"
    })
    expect(response.status).toBe(413)
    expect(await problemOf(response)).toMatchObject({ status: 413, code: "payload_too_large" })
    // The server stopped reading right after the cap: what was pulled is the cap plus what the socket buffers held.
    expect(body.sent()).toBeLessThan(64 * 1024 * 1024)
    const next = await fetch(`${server.url}/v1/me`, { headers: admin() })
    expect(next.status).toBe(200)
    expect(await clientName()).toBe(names)
    expect((await server.auditEvents()).length).toBe(events)
    expect(process.memoryUsage().rss - before).toBeLessThan(128 * 1024 * 1024)
  })

  it("accepts a body at the cap", async () => {
    const padding = " ".repeat(1024 * 1024 - `{"name":"Bright Smile Dental"}`.length)
    const response = await fetch(`${server.url}/v1/clients/${DemoKeys.clientId}`, {
      method: "PATCH",
      headers: { ...admin(), "content-type": "application/json" },
      body: `{"name":"Bright Smile Dental"}${padding}`
    })
    expect(response.status).toBe(200)
  })
})

/** Every route of the API that takes a body, from the OpenAPI document, with its path filled with demo ids. */
const jsonRoutes = (() => {
  const spec = OpenApi.fromApi(Api.Api)
  const fill: Record<string, string> = {
    clientId: DemoKeys.clientId,
    partnerOrgId: "org_acme",
    userId: "usr_acme_user",
    keyId: "key_0000000000000000",
    invitationId: "inv_00000000000000000000000000",
    projectId: "prj_acme_dental_live"
  }
  const routes: Array<{ readonly method: string; readonly path: string; readonly contentType: string }> = []
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (typeof operation !== "object" || operation === null || !("requestBody" in operation)) continue
      const content: unknown = Reflect.get(Object(operation.requestBody), "content")
      routes.push({
        method: method.toUpperCase(),
        path: path.replace(/\{(\w+)\}/g, (_, name: string) => fill[name] ?? `unknown_${name}`),
        contentType: Object.keys(Object(content))[0] ?? "application/json"
      })
    }
  }
  return routes
})()

const form = () => {
  const data = new FormData()
  data.set("name", "Changed by multipart")
  return data
}

const wrongTypes: ReadonlyArray<{ readonly label: string; readonly headers: Record<string, string>; readonly body: () => string | Uint8Array | FormData }> = [
  { label: "multipart/form-data", headers: {}, body: form },
  { label: "form-encoded", headers: { "content-type": "application/x-www-form-urlencoded" }, body: () => "name=Changed" },
  { label: "text/plain", headers: { "content-type": "text/plain" }, body: () => `{"name":"Changed"}` },
  { label: "application/xml", headers: { "content-type": "application/xml" }, body: () => "<name>Changed</name>" },
  { label: "no Content-Type", headers: {}, body: () => new TextEncoder().encode(`{"name":"Changed"}`) },
  { label: "charset=utf-16", headers: { "content-type": "application/json; charset=utf-16" }, body: () => `{"name":"Changed"}` },
  { label: "charset=iso-8859-1", headers: { "content-type": "application/json; charset=iso-8859-1" }, body: () => `{"name":"Changed"}` }
]

describe("media types", () => {
  it("knows the routes that take a body, and the merge-patch one among them", () => {
    expect(jsonRoutes.length).toBeGreaterThanOrEqual(10)
    expect(jsonRoutes.map((r) => r.contentType)).toContain("application/merge-patch+json")
  })

  it("refuses every other media type on every JSON route with 415 and changes nothing", async () => {
    const name = await clientName()
    const events = await server.auditEvents()
    for (const route of jsonRoutes) {
      for (const wrong of wrongTypes) {
        const response = await fetch(`${server.url}${route.path}`, {
          method: route.method,
          headers: { ...admin(), ...wrong.headers },
          body: wrong.body()
        })
        expect({ route, wrong: wrong.label, status: response.status }).toEqual({ route, wrong: wrong.label, status: 415 })
        const problem = await problemOf(response)
        expect(problem).toMatchObject({ status: 415, code: "unsupported_media_type" })
        expect(JSON.stringify(problem)).toMatch(/Content-Type: application\/(merge-patch\+)?json/)
      }
    }
    expect(await clientName()).toBe(name)
    expect(await server.auditEvents()).toEqual(events)
  })

  it("refuses a body that is not UTF-8 on every JSON route with 400 and changes nothing", async () => {
    const name = await clientName()
    const events = await server.auditEvents()
    const latin1 = new Uint8Array([...new TextEncoder().encode(`{"name":"Caf`), 0xe9, ...new TextEncoder().encode(`"}`)])
    for (const route of jsonRoutes) {
      const response = await fetch(`${server.url}${route.path}`, {
        method: route.method,
        headers: { ...admin(), "content-type": route.contentType },
        body: latin1
      })
      expect({ route, status: response.status }).toEqual({ route, status: 400 })
      expect(await problemOf(response)).toMatchObject({ status: 400, code: "bad_request", detail: expect.stringContaining("UTF-8") })
    }
    expect(await clientName()).toBe(name)
    expect(await server.auditEvents()).toEqual(events)
  })

  it("accepts application/json with charset=utf-8", async () => {
    const response = await fetch(`${server.url}/v1/clients/${DemoKeys.clientId}`, {
      method: "PATCH",
      headers: { ...admin(), "content-type": "Application/JSON; charset=\"UTF-8\"" },
      body: `{"name":"Bright Smile Dental"}`
    })
    expect(response.status).toBe(200)
  })
})

/** Sends raw bytes and returns the raw answer (for requests fetch would refuse to make). */
const raw = (request: string) =>
  new Promise<string>((resolve, reject) => {
    const socket = connect(server.port, "127.0.0.1", () => socket.end(request))
    let answer = ""
    socket.on("data", (chunk) => (answer += chunk.toString()))
    socket.on("end", () => resolve(answer))
    socket.on("error", reject)
  })

describe("what Node's parser refuses", () => {
  it("answers headers over the limit with 431 problem+json", async () => {
    const answer = await raw(`GET /v1/me HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20 * 1024)}\r\n\r\n`)
    expect(answer).toMatch(/^HTTP\/1.1 431/)
    expect(answer).toContain("application/problem+json")
    expect(answer).toContain(`"code":"headers_too_large"`)
  })

  it("answers a URL over the limit with 431 problem+json", async () => {
    const answer = await raw(`GET /v1/projects?x=${"a".repeat(20 * 1024)} HTTP/1.1\r\nHost: x\r\n\r\n`)
    expect(answer).toMatch(/^HTTP\/1.1 431/)
    expect(answer).toContain(`"code":"headers_too_large"`)
  })

  it("answers a malformed request with 400 problem+json", async () => {
    const answer = await raw(`GET /v1/me HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n`)
    expect(answer).toMatch(/^HTTP\/1.1 400/)
    expect(answer).toContain(`"code":"bad_request"`)
  })
})
