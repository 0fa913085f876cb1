import {
  Ids,
  MembershipRepo,
  PartnerOrgs,
  type Principal,
  Role,
  type Secrets,
  Team,
  Teams,
  User,
  UserRepo
} from "@aidial/domain"
import { Cause, Duration, Effect, Exit, Layer, ManagedRuntime, Option, Redacted, Schema } from "effect"
import * as fc from "fast-check"
import * as MemoryStack from "../MemoryStack.js"
import { TestClock } from "../TestClock.js"

const week = Duration.toMillis(Duration.days(7))
const emails = ["ann@model.example", "bob@model.example", "cat@model.example", "dan@model.example"] as const
/** `dan` signs in with an unverified email. */
const unverified = "dan@model.example"

type Status = "pending" | "accepted" | "revoked"

interface Issued {
  readonly id: Team.InvitationId
  readonly email: string
  readonly code: Redacted.Redacted<string>
  readonly expiresAt: number
  status: Status
}

/** What the model expects: every issued invitation, who is a member, and the time. */
export interface Model {
  now: number
  readonly issued: Array<Issued>
  readonly members: Set<string>
}

type Env = MemoryStack.Storage | MemoryStack.Runtime | Secrets.Secrets

/** The system under test: the use cases on a fresh storage layer. */
export interface Real {
  readonly run: <A, E>(effect: Effect.Effect<A, E, Env>) => Promise<Exit.Exit<A, unknown>>
  readonly admin: Principal.Principal
  readonly org: Ids.PartnerOrgId
  readonly users: ReadonlyMap<string, User.User>
  readonly wrong: User.User
}

type Cmd = fc.AsyncCommand<Model, Real, false>

const hasTag = (u: unknown): u is { readonly _tag: string } =>
  typeof u === "object" && u !== null && "_tag" in u && typeof u._tag === "string"

/** `Success`, the tag of the expected failure, or `Defect`. */
const tagOf = <A, E>(exit: Exit.Exit<A, E>): string =>
  Exit.match(exit, {
    onSuccess: () => "Success",
    onFailure: (cause) =>
      Option.match(Cause.failureOption(cause), { onNone: () => "Defect", onSome: (e) => (hasTag(e) ? e._tag : "Unknown") })
  })

const isLive = (m: Model, i: Issued) => i.status === "pending" && m.now < i.expiresAt

const expectTag = (actual: string, expected: string, what: string) => {
  if (actual !== expected) throw new Error(`${what}: expected ${expected}, got ${actual}`)
}

const checkMembers = async (m: Model, r: Real) => {
  const exit = await r.run(Effect.flatMap(MembershipRepo.MembershipRepo, (repo) => repo.listByPartnerOrg(r.org)))
  if (!Exit.isSuccess(exit)) throw new Error("members unreadable")
  const actual = exit.value.map((x) => x.userId).filter((id) => [...r.users.values()].some((u) => u.id === id))
  const expected = [...m.members].map((e) => r.users.get(e)?.id)
  if (JSON.stringify([...actual].sort()) !== JSON.stringify([...expected].sort())) {
    throw new Error(`members: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`)
  }
}

class Invite implements Cmd {
  constructor(readonly email: string, readonly role: Role.PartnerRole) {}
  check = () => true
  async run(m: Model, r: Real) {
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

const issuedOf = (value: Teams.Issued, email: string): Issued => {
  const link = Redacted.value(value.link)
  const code = decodeURIComponent(/[?&]code=([^&]+)/.exec(link)?.[1] ?? "")
  return { id: value.invitation.id, email, code: Redacted.make(code), expiresAt: value.invitation.expiresAt.getTime(), status: "pending" }
}

const closedTag = (i: Issued) => (i.status === "accepted" ? "InvitationAlreadyAccepted" : "InvitationRevoked")

class Resend implements Cmd {
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>) => m.issued.length > 0
  async run(m: Model, r: Real) {
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

class Revoke implements Cmd {
  constructor(readonly pick: number) {}
  check = (m: Readonly<Model>) => m.issued.length > 0
  async run(m: Model, r: Real) {
    const target = m.issued[this.pick % m.issued.length]
    if (target === undefined) return
    const exit = await r.run(Teams.revokeInvitation(r.admin, r.org, target.id))
    expectTag(tagOf(exit), target.status === "pending" ? "Success" : closedTag(target), this.toString())
    if (Exit.isSuccess(exit)) target.status = "revoked"
    await checkMembers(m, r)
  }
  toString = () => `revoke(#${this.pick})`
}

class Accept implements Cmd {
  constructor(readonly pick: number, readonly who: "invitee" | "other") {}
  check = (m: Readonly<Model>) => m.issued.length > 0
  async run(m: Model, r: Real) {
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

class Advance implements Cmd {
  constructor(readonly ms: number) {}
  check = () => true
  async run(m: Model, r: Real) {
    await r.run(Effect.flatMap(TestClock, (clock) => clock.advance(this.ms)))
    m.now += this.ms
  }
  toString = () => `advance(${this.ms}ms)`
}

/** Every command the model knows, with generated arguments. */
export const commands: Array<fc.Arbitrary<Cmd>> = [
  fc.tuple(fc.constantFrom(...emails), fc.constantFrom<Role.PartnerRole>("partner_user", "partner_admin"))
    .map(([email, role]) => new Invite(email, role)),
  fc.nat(50).map((pick) => new Resend(pick)),
  fc.nat(50).map((pick) => new Revoke(pick)),
  fc.tuple(fc.nat(50), fc.constantFrom<"invitee" | "other">("invitee", "invitee", "other")).map(([p, who]) => new Accept(p, who)),
  fc.constantFrom(1, week / 2, week - 1, week).map((ms) => new Advance(ms))
]

const start = new Date("2026-01-01T00:00:00.000Z")

/** A fresh system: a platform admin, one provisioned organisation, and the users of the model's emails. */
const setup = Effect.gen(function*() {
  const userRepo = yield* UserRepo.UserRepo
  const make = (email: string, n: number, verified: boolean) =>
    new User.User({
      id: Ids.UserId.make(`usr_model_${n}`),
      subject: `model-${n}`,
      email: Schema.decodeSync(User.Email)(email),
      emailVerified: verified,
      displayName: email,
      createdAt: start
    })
  const platform = make("platform@aidial.example", 0, true)
  yield* userRepo.insert(platform)
  yield* (yield* MembershipRepo.MembershipRepo).put(new Role.PlatformMembership({ userId: platform.id, role: "aidial_admin" }))
  const admin: Principal.Principal = { _tag: "PlatformUser", userId: platform.id, role: "aidial_admin", selectedClientId: null }
  const org = yield* PartnerOrgs.provision(admin, { name: "Model Org", description: "" })
  const users = new Map<string, User.User>()
  for (const [i, email] of emails.entries()) {
    const user = make(email, i + 1, email !== unverified)
    yield* userRepo.insert(user)
    users.set(email, user)
  }
  const wrong = make("eve@model.example", 99, true)
  yield* userRepo.insert(wrong)
  return { admin, org: org.id, users, wrong }
})

/**
 * Runs the invitation model against `storage` (which must give fresh, empty storage each time it
 * is built): invite, resend, revoke, accept by the right, wrong or unverified user, and the clock.
 */
export const run = async <E>(
  storage: Layer.Layer<MemoryStack.Storage | Secrets.Secrets, E>,
  parameters: fc.Parameters<unknown> = {}
): Promise<void> => {
  await fc.assert(
    fc.asyncProperty(fc.commands(commands, { maxCommands: 30 }), async (cmds) => {
      const runtime = ManagedRuntime.make(Layer.mergeAll(storage, MemoryStack.layerRuntime(start)))
      try {
        const run = <A, E2>(effect: Effect.Effect<A, E2, Env>) => runtime.runPromiseExit(effect)
        const built = await runtime.runPromise(setup)
        const real: Real = { run, ...built }
        const model: Model = { now: start.getTime(), issued: [], members: new Set() }
        await fc.asyncModelRun(() => ({ model, real }), cmds)
      } finally {
        await runtime.dispose()
      }
    }),
    { numRuns: 100, ...parameters }
  )
}
