/**
 * What a consumer of the testkit writes: the authorization properties against its own `authorize`,
 * and the storage contracts against its own storage layer.
 */
import { KyselyClient } from "@aidial/adapters-sql"
import { Policy } from "@aidial/domain"
import { ApiKeyContract, Arbitraries, AuthorizationProperties, TenancyContract } from "@aidial/testkit"
import { Redacted } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import { Rules, Service } from "../src/index.js"

AuthorizationProperties.suite("Rules.authorize", Rules.authorize, { numRuns: 200, exact: true })

describe("the service's own rule", () => {
  it("refuses client.archive to every partner_admin the core would allow, and changes nothing else", () => {
    fc.assert(
      fc.property(Arbitraries.worldWithPrincipal((p) => p._tag === "PartnerUser"), ({ principal, world }) => {
        fc.pre(principal !== null)
        for (const action of Policy.actions) {
          for (const target of Arbitraries.targetsOf(world)) {
            const core = Policy.authorize(principal, action, target)
            const expected = core === "Allow" && action === "client.archive" ? "Forbidden" : core
            expect(Rules.authorize(principal, action, target)).toBe(expected)
          }
        }
      }),
      { numRuns: 200 }
    )
  })
})

const storage = () =>
  Service.core(KyselyClient.layerSqlite({ filename: ":memory:" }), { pepper: Redacted.make("p"), tokenKey: new Uint8Array(32) })

TenancyContract.suite("the service's storage", storage())
ApiKeyContract.suite("the service's storage", storage())
