import { Api, Problem } from "@aidial/adapters-http"
import { ApiKey, Ids, Policy, StorageError, Team } from "@aidial/domain"
import { OpenApi } from "@effect/platform"
import { Effect, Exit, Logger, Schema } from "effect"
import { describe, expect, it } from "vitest"

const document = OpenApi.fromApi(Api.Api)

const schemaOf = (kind: Problem.Kind): unknown => Reflect.get(Object(document.components.schemas), kind)

const enumOf = (schema: unknown, property: "status" | "code"): unknown =>
  Reflect.get(Object(Reflect.get(Object(Reflect.get(Object(schema), "properties")), property)), "enum")

describe("the error table", () => {
  it("documents every row's status and code in the OpenAPI document, under the row's kind", () => {
    for (const [tag, row] of Object.entries(Problem.table)) {
      const schema = schemaOf(row.problem)
      expect(enumOf(schema, "status"), tag).toEqual([Problem.kinds[row.problem].status])
      expect(enumOf(schema, "code"), tag).toContain("code" in row ? row.code : Problem.kinds[row.problem].code)
    }
  })

  it("documents each kind's generic code first and its status from the one kinds table", () => {
    for (const kind of Object.keys(Problem.kinds).filter((k): k is Problem.Kind => k in Problem.kinds)) {
      const schema = schemaOf(kind)
      if (schema === undefined) continue
      expect(enumOf(schema, "code"), kind).toEqual(expect.arrayContaining([Problem.kinds[kind].code]))
      expect(Reflect.get(Object(enumOf(schema, "code")), 0), kind).toBe(Problem.kinds[kind].code)
      expect(enumOf(schema, "status"), kind).toEqual([Problem.kinds[kind].status])
    }
  })

  it("turns a domain error into its row's problem: status, specific or generic code, detail", () => {
    const cases = [
      [new Policy.NotFound({ resource: "client" }), 404, "not_found", "No client with this id."],
      [new Policy.Forbidden({ action: "client.edit" }), 403, "forbidden", "Your role does not allow client.edit."],
      [new Team.LastPartnerAdmin({ partnerOrgId: Ids.PartnerOrgId.make("org_a"), userId: Ids.UserId.make("usr_a") }), 409, "last_partner_admin", undefined],
      [new ApiKey.InvalidApiKey(), 401, "unauthenticated", "The API key is not valid."],
      [new ApiKey.InvalidExpiry({ message: "the expiry must be in the future" }), 422, "unprocessable", "expires: the expiry must be in the future."]
    ] as const
    for (const [error, status, code, detail] of cases) {
      const problem = Problem.fromDomain(error)
      expect(Problem.body(problem)).toMatchObject({ status, code, type: `urn:aidial:problem:${code}` })
      if (detail !== undefined) expect(problem.detail).toBe(detail)
    }
  })

  it("describes a value the domain rejects as 422 invalid_value, naming what was wrong", () => {
    const exit = Effect.runSyncExit(Schema.decode(Schema.NonEmptyTrimmedString)(""))
    if (Exit.isSuccess(exit) || exit.cause._tag !== "Fail") throw new Error("expected a parse failure")
    const body = Problem.body(Problem.fromDomain(exit.cause.error))
    expect(body).toMatchObject({ status: 422, code: "invalid_value" })
    expect(body.detail.length).toBeGreaterThan(0)
  })

  it("answers a storage failure with the generic 500 and logs its cause on the server side only", async () => {
    const logged: Array<unknown> = []
    const logger = Logger.make(({ message }) => logged.push(message))
    const failure = new StorageError.StorageError({ message: "disk on fire", cause: new Error("secret path /var/db") })
    const exit = await Effect.runPromiseExit(
      Problem.refail(Effect.fail(failure)).pipe(Effect.provide(Logger.replace(Logger.defaultLogger, logger)))
    )
    if (Exit.isSuccess(exit) || exit.cause._tag !== "Fail") throw new Error("expected a failure")
    const body = Problem.body(exit.cause.error)
    expect(body).toMatchObject({ status: 500, code: "internal" })
    expect(JSON.stringify(body)).not.toMatch(/disk on fire|secret path/)
    expect(JSON.stringify(logged)).toMatch(/disk on fire/)
  })
})
