/**
 * Flooding a public key id with forged secrets: the failures are limited (429 past the limit, nothing
 * audited then), their audit events coalesced, and the real key is served throughout.
 */
import { ApiKey, VerificationFailures } from "@aidial/domain"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as DemoKeys from "../src/DemoKeys.js"
import * as NodeServer from "./support/NodeServer.js"

let server: NodeServer.Server

beforeAll(async () => {
  server = await NodeServer.start("flood")
})
afterAll(() => server.stop())

const createKey = async (): Promise<{ readonly id: string; readonly plaintext: string }> => {
  const response = await fetch(`${server.url}/v1/clients/${DemoKeys.clientId}/api-keys`, {
    method: "POST",
    headers: { ...server.bearer("demo-acme-admin"), "content-type": "application/json" },
    body: JSON.stringify({ name: "flooded", scope: "read", environment: "live" })
  })
  expect(response.status).toBe(201)
  const body: unknown = await response.json()
  const key: unknown = typeof body === "object" && body !== null ? Reflect.get(body, "api_key") : null
  const id: unknown = typeof key === "object" && key !== null ? Reflect.get(key, "key_id") : null
  const plaintext: unknown = typeof body === "object" && body !== null ? Reflect.get(body, "plaintext") : null
  if (typeof id !== "string" || typeof plaintext !== "string") throw new Error("no key in the answer")
  return { id, plaintext }
}

const randomDigits = (length: number) =>
  Array.from({ length }, () => ApiKey.alphabet[Math.floor(Math.random() * ApiKey.alphabet.length)]).join("")

/** A key with the real key's public id, a random secret and a valid checksum. */
const forge = (keyId: string) => ApiKey.format("live", keyId.slice("key_".length), randomDigits(ApiKey.secretLength))

const withKey = (key: string) => fetch(`${server.url}/v1/projects`, { headers: { "x-api-key": key } })

const verifyEvents = async (startedWith: number) =>
  (await server.auditEvents()).slice(startedWith).filter((e) => e.action === "apikey.verify")

describe("failed verifications", () => {
  it("answer 429 past the per-key limit, add at most one event per interval, and never lock the real key out", async () => {
    const real = await createKey()
    const before = (await server.auditEvents()).length
    const started = Date.now()
    const statuses: Array<number> = []
    for (let i = 0; i < 2_000; i++) {
      const response = await withKey(forge(real.id))
      statuses.push(response.status)
      if (response.status === 429) expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0)
      await response.arrayBuffer()
      if (i % 100 === 0) {
        const served = await withKey(real.plaintext)
        expect(served.status).toBe(200)
        await served.arrayBuffer()
      }
    }
    const limit = VerificationFailures.defaultPolicy.perKey.requests
    expect(statuses.slice(0, limit).every((s) => s === 401)).toBe(true)
    expect(statuses.slice(limit).every((s) => s === 429)).toBe(true)
    const intervals = 1 + Math.floor((Date.now() - started) / (VerificationFailures.defaultPolicy.auditIntervalSeconds * 1000))
    const events = await verifyEvents(before)
    expect(events.length).toBeGreaterThanOrEqual(1)
    expect(events.length).toBeLessThanOrEqual(intervals)
    expect(events[0]?.details).toMatchObject({ reason: "mismatch", count: "1" })
    expect(events[0]?.targetId).toBe(real.id)
    expect((await withKey(real.plaintext)).status).toBe(200)
  })

  it("coalesce unknown key ids into one event per interval, however many ids are tried", async () => {
    const before = (await server.auditEvents()).length
    const started = Date.now()
    for (let i = 0; i < 300; i++) {
      const response = await withKey(ApiKey.format("live", randomDigits(ApiKey.keyIdLength), randomDigits(ApiKey.secretLength)))
      expect(response.status).toBe(401)
      await response.arrayBuffer()
    }
    const intervals = 1 + Math.floor((Date.now() - started) / (VerificationFailures.defaultPolicy.auditIntervalSeconds * 1000))
    const events = await verifyEvents(before)
    expect(events.length).toBeGreaterThanOrEqual(1)
    expect(events.length).toBeLessThanOrEqual(intervals)
    expect(events.every((e) => e.details["reason"] === "unknown")).toBe(true)
  })
})
