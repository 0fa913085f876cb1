/** Policy decisions the generated worlds cannot reach, stated as examples. */
import { describe, expect, it } from "vitest"
import * as Ids from "../src/Ids.js"
import * as Policy from "../src/Policy.js"
import * as Principal from "../src/Principal.js"

const orgId = Ids.PartnerOrgId.make("org_1")
const partner = (role: "partner_admin" | "partner_user") =>
  Principal.PartnerUser({ userId: Ids.UserId.make("usr_1"), role, partnerOrgId: orgId, partnerOrgStatus: "provisioning", assignedClientIds: new Set() })

describe("Policy", () => {
  it("shows a provisioning organisation to its partner_admin but not to its partner_user", () => {
    const org = Policy.partnerOrgTarget({ id: orgId, status: "provisioning" })
    expect(Policy.authorize(partner("partner_admin"), "team.view", org)).toBe("Allow")
    expect(Policy.authorize(partner("partner_user"), "team.view", org)).toBe("NotFound")
  })

  it("reads no matrix column for a user without a membership", () => {
    expect(Policy.grantee(Principal.Unaffiliated({ userId: Ids.UserId.make("usr_2") }))).toBeNull()
  })
})
