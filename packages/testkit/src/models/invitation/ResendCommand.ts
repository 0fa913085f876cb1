import { Teams } from "@aidial/domain"
import { Exit } from "effect"
import type * as fc from "fast-check"
import { checkMembers, closedTag, expectTag, issuedOf, type Model, type Real, tagOf } from "./World.js"

/** Resends an invitation: a pending one is replaced by a new one with a new code; a closed one is refused. */
export class ResendCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>) => m.issued.length > 0
  async run(m: Model, r: Real): Promise<void> {
    const target = m.issued[this.pick % m.issued.length]
    if (target === undefined) return
    const exit = await r.run(Teams.resend(r.admin, r.org, target.id))
    expectTag(tagOf(exit), target.status === "pending" ? "Success" : closedTag(target), this.toString())
    if (Exit.isSuccess(exit)) {
      target.status = "revoked"
      m.issued.push(issuedOf(exit.value, target.email))
    }
    await checkMembers(m, r)
  }
  toString = () => `resend(#${this.pick})`
}
