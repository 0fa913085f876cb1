import { type Role, Teams, User } from "@aidial/domain"
import { Exit, Schema } from "effect"
import type * as fc from "fast-check"
import { checkMembers, expectTag, isLive, issuedOf, type Model, type Real, tagOf } from "./World.js"

/** Invites an email: refused for a member or an email with a live invitation; voids its older pending ones. */
export class InviteCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly email: string, readonly role: Role.PartnerRole) {}
  check = () => true
  async run(m: Model, r: Real): Promise<void> {
    const exit = await r.run(Teams.invite(r.admin, r.org, {
      email: Schema.decodeSync(User.Email)(this.email),
      role: this.role,
      message: null
    }))
    const live = m.issued.find((i) => i.email === this.email && isLive(m, i))
    const expected = m.members.has(this.email) ? "AlreadyMember" : live ? "AlreadyInvited" : "Success"
    expectTag(tagOf(exit), expected, this.toString())
    if (Exit.isSuccess(exit)) {
      for (const i of m.issued) if (i.email === this.email && i.status === "pending") i.status = "revoked"
      m.issued.push(issuedOf(exit.value, this.email))
    }
    await checkMembers(m, r)
  }
  toString = () => `invite(${this.email}, ${this.role})`
}
