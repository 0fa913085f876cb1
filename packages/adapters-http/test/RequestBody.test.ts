/** Per-route body limits and media types, and the media-type parser, through the fetch-style handler. */
import { Http, RequestBody } from "@aidial/adapters-http"
import { Layer } from "effect"
import { afterAll, describe, expect, it } from "vitest"
import * as StandingWorld from "./StandingWorld.js"
import * as World from "./World.js"

const limits = RequestBody.layerLimits({
  maxBytes: 256,
  routes: {
    "PATCH /v1/partner-orgs/:partnerOrgId": { maxBytes: 64, mediaTypes: ["application/json", "application/merge-patch+json"] }
  }
})

const { dispose, handler } = Http.toWebHandler(Layer.merge(StandingWorld.requirements, limits))
afterAll(() => dispose())

const token = () => StandingWorld.token("platformAdmin")

const patch = async (path: string, contentType: string, body: string) =>
  handler(new Request(`http://localhost${path}`, {
    method: "PATCH",
    headers: { authorization: `Bearer ${await token()}`, "content-type": contentType },
    body
  }))

/** A valid body of exactly `length` bytes (JSON padded with spaces). */
const named = (length: number) => {
  const base = `{"name":"Renamed"}`
  return base + " ".repeat(length - base.length)
}

describe("per-route limits", () => {
  it("applies a route's own cap, and the default cap elsewhere", async () => {
    expect((await patch(`/v1/partner-orgs/${World.ids.orgA}`, "application/json", named(64))).status).toBe(200)
    const over = await patch(`/v1/partner-orgs/${World.ids.orgA}`, "application/json", named(65))
    expect(over.status).toBe(413)
    expect(await over.json()).toMatchObject({ code: "payload_too_large", detail: expect.stringContaining("64 bytes") })
    expect((await patch(`/v1/clients/${World.ids.clientA1}`, "application/json", named(256))).status).toBe(200)
    expect((await patch(`/v1/clients/${World.ids.clientA1}`, "application/json", named(257))).status).toBe(413)
  })

  it("accepts a media type only on the route that declares it", async () => {
    expect((await patch(`/v1/partner-orgs/${World.ids.orgA}`, "application/merge-patch+json", `{"name":"Merged"}`)).status).toBe(200)
    const elsewhere = await patch(`/v1/clients/${World.ids.clientA1}`, "application/merge-patch+json", `{"name":"Merged"}`)
    expect(elsewhere.status).toBe(415)
  })

  it("reads an empty body without a Content-Type as no body", async () => {
    const response = await handler(new Request(`http://localhost/v1/clients/${World.ids.clientA1}/archive`, {
      method: "POST",
      headers: { authorization: `Bearer ${await token()}` }
    }))
    expect(response.status).not.toBe(415)
  })
})

describe("parseMediaType and accepts", () => {
  it("reads the essence and charset case-insensitively, quoted or not", () => {
    expect(RequestBody.parseMediaType(`Application/JSON ; Charset="UTF-8"`)).toEqual({ essence: "application/json", charset: "utf-8" })
    expect(RequestBody.parseMediaType("application/json")).toEqual({ essence: "application/json", charset: null })
  })

  it("accepts UTF-8 only", () => {
    expect(RequestBody.accepts([RequestBody.json], "application/json; charset=utf-8")).toBe(true)
    expect(RequestBody.accepts([RequestBody.json], "application/json; charset=utf-16")).toBe(false)
    expect(RequestBody.accepts([RequestBody.json], "application/jsonx")).toBe(false)
    expect(RequestBody.accepts([RequestBody.json], "text/json")).toBe(false)
  })
})
