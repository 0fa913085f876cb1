import { Effect, Option, Schema } from "effect"
import { PartnerOrgId } from "../Ids.js"
import * as Page from "../Page.js"
import * as Policy from "../Policy.js"
import { Clock } from "../ports/Clock.js"
import { IdGenerator } from "../ports/IdGenerator.js"
import { PartnerOrgRepo } from "../ports/PartnerOrgRepo.js"
import { Transactor } from "../ports/Transactor.js"
import type { Principal } from "../Principal.js"
import { Description as OrgDescription, DisplayName, PartnerOrg } from "../Tenancy.js"
import * as Access from "./Access.js"
import * as AuditTrail from "./AuditTrail.js"
import * as Traced from "../Traced.js"

/** What a platform admin gives to provision an organisation. */
export interface ProvisionInput {
  readonly name: string
  readonly description: string
}

/** The fields an edit may change; absent fields stay. */
export interface EditInput {
  readonly name?: string
  readonly description?: string
}

/** A description: text that may span lines, at most 2000 characters (`Tenancy.Description`). */
export const Description = OrgDescription

/** Loads an organisation the principal may act on: `NotFound` when missing or out of scope. */
export const load = Effect.fnUntraced(
  function*(principal: Principal, action: Policy.Action, id: PartnerOrgId) {
    const org = yield* (yield* PartnerOrgRepo).get(id)
    if (Option.isNone(org)) return yield* new Policy.NotFound({ resource: "partner_org" })
    yield* Access.require(principal, action, Policy.partnerOrgTarget(org.value), "partner_org")
    return org.value
  },
  Traced.span("PartnerOrgs.load")
)

/**
 * Provisions a partner organisation (`partner.provision`, platform admins). It stays
 * `provisioning` until its first partner_admin accepts an invitation.
 */
export const provision = Effect.fnUntraced(function*(principal: Principal, input: ProvisionInput) {
  yield* Access.require(principal, "partner.provision", Policy.platformTarget, "partner_org")
  const name = yield* Schema.decode(DisplayName)(input.name)
  const description = yield* Schema.decode(Description)(input.description)
  const id = PartnerOrgId.make(yield* (yield* IdGenerator).make("partnerOrg"))
  const createdAt = yield* (yield* Clock).now
  const org = new PartnerOrg({ id, name, description, status: "provisioning", createdAt })
  return yield* (yield* Transactor).withTransaction(Effect.gen(function*() {
    yield* (yield* PartnerOrgRepo).insert(org)
    yield* AuditTrail.record(AuditTrail.actorOf(principal), {
      action: "partner.provision",
      targetType: "partner_org",
      targetId: org.id,
      clientId: null,
      partnerOrgId: org.id,
      details: { name: org.name }
    })
    return org
  }))
}, Traced.span("PartnerOrgs.provision"))

/** Edits an organisation's name and description (`partner.edit`: platform admins, its partner admins). */
export const edit = Effect.fnUntraced(function*(principal: Principal, id: PartnerOrgId, input: EditInput) {
  const name = input.name === undefined ? undefined : yield* Schema.decode(DisplayName)(input.name)
  const description = input.description === undefined ? undefined : yield* Schema.decode(Description)(input.description)
  return yield* (yield* Transactor).withTransaction(Effect.gen(function*() {
    const org = yield* load(principal, "partner.edit", id)
    const next = new PartnerOrg({ ...org, name: name ?? org.name, description: description ?? org.description })
    yield* (yield* PartnerOrgRepo).update(next)
    yield* AuditTrail.record(AuditTrail.actorOf(principal), {
      action: "partner.edit",
      targetType: "partner_org",
      targetId: org.id,
      clientId: null,
      partnerOrgId: org.id,
      details: {
        ...(name !== undefined ? { name } : {}),
        ...(description !== undefined ? { description: "changed" } : {})
      }
    })
    return next
  }))
}, Traced.span("PartnerOrgs.edit"))

/** One organisation, if the principal may view its team (`team.view`). */
export const get = (principal: Principal, id: PartnerOrgId) => load(principal, "team.view", id)

/** The organisations the principal may view, one page in id order: platform users all, partner members their own. */
export const list = Effect.fnUntraced(function*(principal: Principal, page: Page.PageRequest) {
  switch (principal._tag) {
    case "PlatformUser":
      return yield* (yield* PartnerOrgRepo).list(page)
    case "PartnerUser": {
      const org = yield* (yield* PartnerOrgRepo).get(principal.partnerOrgId)
      const visible = Option.filter(org, (o) => Policy.isAllowed(principal, "team.view", Policy.partnerOrgTarget(o)))
      const items = Option.toArray(visible).filter((o) => page.after === null || o.id > page.after)
      return Page.fromRows(items, page.limit)
    }
    default: {
      const empty: Page.Page<PartnerOrg> = { items: [], next: null }
      return empty
    }
  }
}, Traced.span("PartnerOrgs.list"))
