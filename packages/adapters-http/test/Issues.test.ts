/** Decode failures described for a newcomer: every allowed value, the API's field names, no internal schema names. */
import { ApiKeysApi, Issues, TeamApi } from "@aidial/adapters-http"
import { Either, ParseResult, Schema } from "effect"
import { describe, expect, it } from "vitest"

const detail = <A, I>(schema: Schema.Schema<A, I>, input: unknown): string => {
  const result = Schema.decodeUnknownEither(schema, { errors: "all", onExcessProperty: "error" })(input)
  if (Either.isRight(result)) throw new Error("expected a decode failure")
  return Issues.describe(ParseResult.ArrayFormatter.formatErrorSync(result.left), "the request body")
}

describe("a decode failure's detail", () => {
  it("lists every allowed value of an enumeration", () => {
    expect(detail(ApiKeysApi.CreateBody, { name: "x", scope: "write", environment: "live" }))
      .toBe(`scope: expected "read" or "manage", got "write"`)
    const expires = detail(ApiKeysApi.CreateBody, { name: "x", scope: "read", environment: "live", expires: 60 })
    for (const allowed of [`"never"`, "30", "90", "180", "ISO 8601 date-time"]) expect(expires).toContain(allowed)
    expect(expires).toContain("got 60")
    expect(detail(ApiKeysApi.CreateBody, { name: "x", scope: "read", environment: "live", expires: "2020-13-01" }))
      .toBe(`expires: expected one of "never", 30, 90, 180 or an ISO 8601 date-time with a zone (such as 2026-12-31T00:00:00Z), got "2020-13-01"`)
    expect(detail(TeamApi.ChangeRole, { role: "boss" })).toBe(`role: expected "partner_admin" or "partner_user", got "boss"`)
  })

  it("never names an internal schema, and says when there is no body", () => {
    const none = detail(ApiKeysApi.CreateBody, null)
    expect(none).toBe("the request body: expected a JSON object, got no body (or null)")
    expect(detail(ApiKeysApi.CreateBody, [])).toBe("the request body: expected a JSON object, got []")
    expect(detail(ApiKeysApi.RotatePayload, 5)).toBe("the request body: expected a JSON object or no body, got 5")
    expect(detail(Schema.Struct({ a: Schema.Struct({ b: Schema.String }) }), { a: 5 })).toBe("a: expected a JSON object, got 5")
  })

  it("names an undeclared field and the fields there are, in the API's own names", () => {
    expect(detail(ApiKeysApi.CreateBody, { name: "x", scope: "read", environment: "live", client_id: "cli_x" }))
      .toBe(`client_id: is not a field here; the fields are "name", "description", "scope", "environment", "expires"`)
  })

  it("reports each field once, a missing one included", () => {
    expect(detail(ApiKeysApi.CreateBody, { scope: "read" })).toBe("name: is missing; environment: is missing")
  })
})
