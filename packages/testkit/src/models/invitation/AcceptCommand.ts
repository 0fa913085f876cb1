import { Teams } from "@aidial/domain"
import { Exit } from "effect"
import type * as fc from "fast-check"
import { checkMembers, closedTag, expectTag, type Model, type Real, tagOf } from "./World.js"

/**
 * Accepts an invitation as its invitee or as another user: refused when closed, expired, unverified,
 * addressed to another email or already a member; otherwise the invitee becomes a member.
 */
export class AcceptCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number, readonly who: "invitee" | "other") {}
  check = (m: Readonly<Model>) => m.issued.length > 0
  async run(m: Model, r: Real): Promise<void> {
    const target = m.issued[this.pick % m.issued.length]
    if (target === undefined) return
    const user = this.who === "invitee" ? r.users.get(target.email) : r.wrong
    if (user === undefined) throw new Error("no such user")
    const exit = await r.run(Teams.accept(user, target.code))
    const expected = target.status !== "pending"
      ? closedTag(target)
      : m.now >= target.expiresAt
      ? "InvitationExpired"
      : !user.emailVerified
      ? "EmailNotVerified"
      : user.email !== target.email
      ? "InvitationEmailMismatch"
      : m.members.has(target.email)
      ? "AlreadyMember"
      : "Success"
    expectTag(tagOf(exit), expected, this.toString())
    if (Exit.isSuccess(exit)) {
      target.status = "accepted"
      m.members.add(target.email)
    }
    await checkMembers(m, r)
  }
  toString = () => `accept(#${this.pick}, ${this.who})`
}
