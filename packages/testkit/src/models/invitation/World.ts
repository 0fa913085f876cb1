import { type Ids, MembershipRepo, type Principal, type Secrets, type Team, type Teams, type User } from "@aidial/domain"
import { Cause, Effect, Exit, Option, Redacted } from "effect"
import type * as MemoryStack from "../../MemoryStack.js"

export const emails = ["ann@model.example", "bob@model.example", "cat@model.example", "dan@model.example"] as const
/** `dan` signs in with an unverified email. */
export const unverified = "dan@model.example"

type Status = "pending" | "accepted" | "revoked"

/** An invitation the model knows of, with the code its link carried. */
export interface Issued {
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

export type Env = MemoryStack.Storage | MemoryStack.Runtime | Secrets.Secrets

/** The system under test: the use cases on a fresh storage layer. */
export interface Real {
  readonly run: <A, E>(effect: Effect.Effect<A, E, Env>) => Promise<Exit.Exit<A, unknown>>
  readonly admin: Principal.Principal
  readonly org: Ids.PartnerOrgId
  readonly users: ReadonlyMap<string, User.User>
  readonly wrong: User.User
}

const hasTag = (u: unknown): u is { readonly _tag: string } =>
  typeof u === "object" && u !== null && "_tag" in u && typeof u._tag === "string"

/** `Success`, the tag of the expected failure, or `Defect`. */
export const tagOf = <A, E>(exit: Exit.Exit<A, E>): string =>
  Exit.match(exit, {
    onSuccess: () => "Success",
    onFailure: (cause) =>
      Option.match(Cause.failureOption(cause), { onNone: () => "Defect", onSome: (e) => (hasTag(e) ? e._tag : "Unknown") })
  })

export const isLive = (m: Model, i: Issued) => i.status === "pending" && m.now < i.expiresAt

export const expectTag = (actual: string, expected: string, what: string) => {
  if (actual !== expected) throw new Error(`${what}: expected ${expected}, got ${actual}`)
}

/** The organisation's members are exactly the model's. */
export const checkMembers = async (m: Model, r: Real) => {
  const exit = await r.run(Effect.flatMap(MembershipRepo.MembershipRepo, (repo) => repo.listByPartnerOrg(r.org)))
  if (!Exit.isSuccess(exit)) throw new Error("members unreadable")
  const actual = exit.value.map((x) => x.userId).filter((id) => [...r.users.values()].some((u) => u.id === id))
  const expected = [...m.members].map((e) => r.users.get(e)?.id)
  if (JSON.stringify([...actual].sort()) !== JSON.stringify([...expected].sort())) {
    throw new Error(`members: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`)
  }
}

/** The model's record of an invitation just issued, with the code taken from its link. */
export const issuedOf = (value: Teams.Issued, email: string): Issued => {
  const link = Redacted.value(value.link)
  const code = decodeURIComponent(/[?&]code=([^&]+)/.exec(link)?.[1] ?? "")
  return { id: value.invitation.id, email, code: Redacted.make(code), expiresAt: value.invitation.expiresAt.getTime(), status: "pending" }
}

export const closedTag = (i: Issued) => (i.status === "accepted" ? "InvitationAlreadyAccepted" : "InvitationRevoked")
