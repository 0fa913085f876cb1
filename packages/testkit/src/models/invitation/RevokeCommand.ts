import { Teams } from "@aidial/domain"
import { Exit } from "effect"
import type * as fc from "fast-check"
import { checkMembers, closedTag, expectTag, type Model, type Real, tagOf } from "./World.js"

/** Revokes an invitation: a pending one is voided; a closed one is refused. */
export class RevokeCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>) => m.issued.length > 0
  async run(m: Model, r: Real): Promise<void> {
    const target = m.issued[this.pick % m.issued.length]
    if (target === undefined) return
    const exit = await r.run(Teams.revokeInvitation(r.admin, r.org, target.id))
    expectTag(tagOf(exit), target.status === "pending" ? "Success" : closedTag(target), this.toString())
    if (Exit.isSuccess(exit)) target.status = "revoked"
    await checkMembers(m, r)
  }
  toString = () => `revoke(#${this.pick})`
}
