import { Configuration, Entitlements, Ids } from "@aidial/domain"
import { Arbitraries } from "@aidial/testkit"
import { Either } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"

const domain = fc.constantFrom(...Configuration.domains)
const portalManaged = ["business_hours", "call_limits", "consent_notice", "transfer"]

describe("writes to runtime domains over generated principals", () => {
  it("refuses a portal-managed domain to every API key and a domain that is not enabled to everyone, allowing the rest", () => {
    fc.assert(fc.property(
      Arbitraries.worldWithPrincipal(),
      fc.uniqueArray(domain),
      fc.uniqueArray(domain, { minLength: 1 }),
      ({ principal }, enabledList, touched) => {
        fc.pre(principal !== null)
        const enabled = Entitlements.enabledSet(new Entitlements.Entitlements({
          clientId: Ids.ClientId.make("cli_x"),
          enabled: enabledList,
          updatedAt: null
        }))
        const result = Entitlements.checkWrite(principal, enabled, touched)
        const byKey = principal._tag === "ApiKey" && touched.some((d) => portalManaged.includes(d))
        const disabled = touched.some((d) => d !== "agent" && !enabledList.includes(d))
        expect(Either.isLeft(result)).toBe(byKey || disabled)
        if (Either.isLeft(result)) {
          expect(touched).toContain(result.left.domain)
          if (result.left._tag === "BearerOnlyDomain") expect(principal._tag).toBe("ApiKey")
          if (result.left._tag === "DomainNotEnabled") expect(enabledList).not.toContain(result.left.domain)
        }
      }
    ), { numRuns: 300 })
  })

  it("always allows agent", () => {
    fc.assert(fc.property(Arbitraries.worldWithPrincipal(), ({ principal }) => {
      fc.pre(principal !== null)
      expect(Entitlements.checkWrite(principal, new Set(), ["agent"])).toEqual(Either.void)
    }), { numRuns: 100 })
  })
})
