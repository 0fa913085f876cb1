import { Arbitrary, Effect, FastCheck as fc, Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as ProjectsApi from "../src/ProjectsApi.js"
import * as TenancyApi from "../src/TenancyApi.js"
import * as WireBody from "../src/WireBody.js"

/** The bytes a response carries. */
const bodyOf = <A, I>(schema: Schema.Schema<A, I>, value: A) =>
  Effect.runPromise(Effect.map(Schema.encode(schema)(value), (encoded) => JSON.stringify(encoded)))

const sameBytes = <A>(schema: Schema.Schema<A, A>) =>
  fc.assert(
    fc.asyncProperty(Arbitrary.make(schema), async (body) => {
      const response = WireBody.json(schema)(body)
      expect(response.status).toBe(200)
      expect(response.headers["content-type"]).toBe("application/json")
      const sent = response.body._tag === "Uint8Array" ? new TextDecoder().decode(response.body.body) : null
      expect(sent).toBe(await bodyOf(schema, body))
    }),
    { numRuns: 200 }
  )

describe("bodies sent without an encoding pass", () => {
  it("a page of clients is sent byte for byte as the schema's encoding of it", () => sameBytes(TenancyApi.ClientList))
  it("a page of projects is sent byte for byte as the schema's encoding of it", () => sameBytes(ProjectsApi.ProjectList))
})
