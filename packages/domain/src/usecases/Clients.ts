import { Effect, Option, Schema } from "effect"
import { ClientId, type PartnerOrgId, type UserId } from "../Ids.js"
import * as Policy from "../Policy.js"
import { AssignmentRepo } from "../ports/AssignmentRepo.js"
import { ClientRepo } from "../ports/ClientRepo.js"
import { Clock } from "../ports/Clock.js"
import { IdGenerator } from "../ports/IdGenerator.js"
import { MembershipRepo } from "../ports/MembershipRepo.js"
import { PartnerOrgRepo } from "../ports/PartnerOrgRepo.js"
import { Transactor } from "../ports/Transactor.js"
import type { Principal } from "../Principal.js"
import { Assignment, Client, DisplayName } from "../Tenancy.js"
import * as Access from "./Access.js"
import * as AuditTrail from "./AuditTrail.js"
import * as Directory from "./Directory.js"
import * as Traced from "../Traced.js"

/** Only partner_user members are assigned clients: a partner_admin sees every client of the organisation already. */
export class AssigneeNotPartnerUser extends Schema.TaggedError<AssigneeNotPartnerUser>()("AssigneeNotPartnerUser", {
  userId: Schema.String
}) {}

/** What provisioning a client takes. */
export interface ProvisionInput {
  readonly name: string
  /**
   * The managing organisation; `null` for a direct AiDial customer (platform admins only). A
   * partner_admin provisions in their own organisation.
   */
  readonly partnerOrgId: PartnerOrgId | null
}

/** The fields an update may change; absent fields stay. */
export interface UpdateInput {
  readonly name?: string
}

const clientEvent = (client: Client, action: string, details: Record<string, string> = {}) => ({
  action,
  targetType: "client",
  targetId: client.id,
  clientId: client.id,
  partnerOrgId: client.partnerOrgId,
  details
})

/** The authorization target of provisioning under `partnerOrgId`: its organisation, or the platform for a direct customer. */
const provisionTarget = Effect.fnUntraced(function*(partnerOrgId: PartnerOrgId | null) {
  if (partnerOrgId === null) return Policy.platformTarget
  const org = yield* (yield* PartnerOrgRepo).get(partnerOrgId)
  if (Option.isNone(org)) return yield* new Policy.NotFound({ resource: "partner_org" })
  return Policy.partnerOrgTarget(org.value)
}, Traced.span("Clients.provisionTarget"))

/** Provisions a client (`client.provision`): a partner_admin in their own organisation, a platform admin anywhere. */
export const provision = Effect.fnUntraced(function*(principal: Principal, input: ProvisionInput) {
  const target = yield* provisionTarget(input.partnerOrgId)
  yield* Access.require(principal, "client.provision", target, "partner_org")
  const name = yield* Schema.decode(DisplayName)(input.name)
  const id = ClientId.make(yield* (yield* IdGenerator).make("client"))
  const createdAt = yield* (yield* Clock).now
  const client = new Client({ id, partnerOrgId: input.partnerOrgId, name, status: "active", createdAt })
  return yield* (yield* Transactor).withTransaction(Effect.gen(function*() {
    yield* (yield* ClientRepo).insert(client)
    yield* AuditTrail.record(AuditTrail.actorOf(principal), clientEvent(client, "client.provision", { name }))
    return client
  }))
}, Traced.span("Clients.provision"))

/** Updates a client's profile (`client.edit`); an archived client is read-only (`NotFound` for writes). */
export const update = Effect.fnUntraced(function*(principal: Principal, id: ClientId, input: UpdateInput) {
  const name = input.name === undefined ? undefined : yield* Schema.decode(DisplayName)(input.name)
  return yield* (yield* Transactor).withTransaction(Effect.gen(function*() {
    const client = yield* Directory.loadClient(principal, "client.edit", id)
    const next = new Client({ ...client, name: name ?? client.name })
    yield* (yield* ClientRepo).update(next)
    yield* AuditTrail.record(
      AuditTrail.actorOf(principal),
      clientEvent(next, "client.edit", name !== undefined ? { name } : {})
    )
    return next
  }))
}, Traced.span("Clients.update"))

/** Archives a client (`client.archive`): read-only afterwards, its API keys stop authenticating. */
export const archive = Effect.fnUntraced(function*(principal: Principal, id: ClientId) {
  return yield* (yield* Transactor).withTransaction(Effect.gen(function*() {
    const client = yield* Directory.loadClient(principal, "client.archive", id)
    const next = new Client({ ...client, status: "archived" })
    yield* (yield* ClientRepo).update(next)
    yield* AuditTrail.record(AuditTrail.actorOf(principal), clientEvent(next, "client.archive"))
    return next
  }))
}, Traced.span("Clients.archive"))

/**
 * The partner_user of the client's organisation to assign; a user outside it (or of a direct
 * customer) is `NotFound`, exactly like a missing one.
 */
const loadAssignee = Effect.fnUntraced(function*(client: Client, userId: UserId) {
  const membership = yield* (yield* MembershipRepo).get(userId)
  const member = Option.filter(
    membership,
    (m) => m._tag === "PartnerMembership" && client.partnerOrgId !== null && m.partnerOrgId === client.partnerOrgId
  )
  if (Option.isNone(member)) return yield* new Policy.NotFound({ resource: "user" })
  if (member.value.role !== "partner_user") return yield* new AssigneeNotPartnerUser({ userId })
}, Traced.span("Clients.loadAssignee"))

/** Assigns a partner_user of the client's own organisation to the client (`client.assign`). */
export const assign = Effect.fnUntraced(function*(principal: Principal, clientId: ClientId, userId: UserId) {
  return yield* (yield* Transactor).withTransaction(Effect.gen(function*() {
    const client = yield* Directory.loadClient(principal, "client.assign", clientId)
    yield* loadAssignee(client, userId)
    const createdAt = yield* (yield* Clock).now
    yield* (yield* AssignmentRepo).assign(new Assignment({ userId, clientId, createdAt }))
    yield* AuditTrail.record(AuditTrail.actorOf(principal), clientEvent(client, "client.assign", { userId }))
  }))
}, Traced.span("Clients.assign"))

/** Removes a user's assignment to the client (`client.assign`); `NotFound` when there is none. */
export const unassign = Effect.fnUntraced(
  function*(principal: Principal, clientId: ClientId, userId: UserId) {
    return yield* (yield* Transactor).withTransaction(Effect.gen(function*() {
      const client = yield* Directory.loadClient(principal, "client.assign", clientId)
      const assignments = yield* AssignmentRepo
      const users = yield* assignments.usersOf(clientId)
      if (!users.includes(userId)) return yield* new Policy.NotFound({ resource: "assignment" })
      yield* assignments.unassign(userId, clientId)
      yield* AuditTrail.record(AuditTrail.actorOf(principal), clientEvent(client, "client.unassign", { userId }))
    }))
  },
  Traced.span("Clients.unassign")
)

/**
 * The users assigned to a client, in user id order: for principals who see the client and may
 * view partner teams (`client.view` and `team.view`).
 */
export const listAssignees = Effect.fnUntraced(function*(principal: Principal, clientId: ClientId) {
  const client = yield* Directory.loadClient(principal, "client.view", clientId)
  yield* Access.require(principal, "team.view", Policy.clientTarget(client), "client")
  return yield* (yield* AssignmentRepo).usersOf(client.id)
}, Traced.span("Clients.listAssignees"))
