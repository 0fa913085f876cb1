import { Directory, Ids, Policy, Principal, type Project } from "@aidial/domain"
import { Effect, Either } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Arbitraries from "../src/Arbitraries.js"
import * as MemoryTenancy from "../src/MemoryTenancy.js"

const runs = { numRuns: 1000 }

/** Every target a world holds: the platform, each organisation, each client as itself and per environment. */
const targetsOf = (world: Arbitraries.World): ReadonlyArray<Policy.Target> => [
  Policy.platformTarget,
  ...world.orgs.map((org) => Policy.partnerOrgTarget(org)),
  ...world.clients.flatMap((client) => [
    Policy.clientTarget(client),
    Policy.clientTarget(client, "live"),
    Policy.clientTarget(client, "test")
  ])
]

/** A world and one of its principals; `null` when the world holds none of the kind asked for (see `fc.pre`). */
interface Case {
  readonly world: Arbitraries.World
  readonly principal: Principal.Principal | null
}

const withPrincipal = (pick: (p: Principal.Principal) => boolean = () => true): fc.Arbitrary<Case> =>
  Arbitraries.world().chain((world): fc.Arbitrary<Case> => {
    const candidates = world.principals.filter(pick)
    return candidates.length === 0
      ? fc.constant<Case>({ world, principal: null })
      : fc.constantFrom(...candidates).map((principal): Case => ({ world, principal }))
  })

/**
 * The oracle: what a principal may know exists, read from the world's facts (memberships,
 * organisations, clients, assignments) as the specification states them, without `Policy`.
 * An API key's facts are its own client and environment; a platform user's selection is the request's.
 */
const withinTenancy = (world: Arbitraries.World) => {
  const membershipOf = new Map(world.memberships.map((m) => [m.userId, m]))
  const orgStatus = new Map(world.orgs.map((o) => [o.id, o.status]))
  const ownerOf = new Map(world.clients.map((c) => [c.id, c.partnerOrgId]))
  const assigned = new Set(world.assignments.map((a) => `${a.userId} ${a.clientId}`))
  return (principal: Principal.Principal, action: Policy.Action, target: Policy.Target): boolean => {
    if (principal._tag === "Unaffiliated") return false
    if (principal._tag === "ApiKey") {
      return target._tag === "Client" && target.clientId === principal.clientId &&
        (target.environment === null || target.environment === principal.environment)
    }
    const membership = membershipOf.get(principal.userId)
    switch (membership?._tag) {
      case undefined:
        return false
      case "PlatformMembership":
        // Everything on the platform, but a client's contents only with that client selected.
        return target._tag !== "Client" || action === "client.view" ||
          (principal._tag === "PlatformUser" && principal.selectedClientId === target.clientId)
      case "PartnerMembership": {
        const { partnerOrgId, role, userId } = membership
        // Its own organisation, a partner_user only once it is active; of its clients, a partner_user
        // only those assigned to them.
        if (target._tag === "PartnerOrg") {
          return target.partnerOrgId === partnerOrgId && (role === "partner_admin" || orgStatus.get(partnerOrgId) === "active")
        }
        return target._tag === "Client" && ownerOf.get(target.clientId) === partnerOrgId &&
          (role === "partner_admin" || assigned.has(`${userId} ${target.clientId}`))
      }
      case "CustomerMembership":
        return target._tag === "Client" && target.clientId === membership.clientId
    }
  }
}

/** Whether the world's facts say the client is archived and the action writes. */
const archivedWrite = (world: Arbitraries.World, action: Policy.Action, target: Policy.Target): boolean =>
  target._tag === "Client" && !action.endsWith(".view") &&
  world.clients.some((c) => c.id === target.clientId && c.status === "archived")

const decisions = (principal: Principal.Principal, world: Arbitraries.World) =>
  Policy.actions.flatMap((action) =>
    targetsOf(world).map((target) => ({ action, target, decision: Policy.authorize(principal, action, target) }))
  )

describe("authorization over generated worlds", () => {
  it("never allows anything across tenants, partner organisations or environments", () => {
    fc.assert(
      fc.property(withPrincipal(), ({ principal, world }) => {
        fc.pre(principal !== null)
        const within = withinTenancy(world)
        const leaks = decisions(principal, world).filter(({ action, decision, target }) =>
          decision !== "NotFound" && !within(principal, action, target)
        )
        expect(leaks).toEqual([])
      }),
      runs
    )
  })

  it("answers everything within the principal's own tenancy with more than NotFound, archived writes aside", () => {
    fc.assert(
      fc.property(withPrincipal(), ({ principal, world }) => {
        fc.pre(principal !== null)
        const within = withinTenancy(world)
        const hidden = decisions(principal, world).filter(({ action, decision, target }) =>
          decision === "NotFound" && within(principal, action, target) && !archivedWrite(world, action, target)
        )
        expect(hidden).toEqual([])
      }),
      runs
    )
  })

  it("gives a partner_user no right its organisation's partner_admin lacks", () => {
    fc.assert(
      fc.property(
        withPrincipal((p) => p._tag === "PartnerUser" && p.role === "partner_user"),
        ({ principal, world }) => {
          fc.pre(principal !== null && principal._tag === "PartnerUser")
          const admin = Principal.PartnerUser({ ...principal, role: "partner_admin", assignedClientIds: new Set() })
          const extra = decisions(principal, world).filter(({ action, decision, target }) =>
            decision === "Allow" && Policy.authorize(admin, action, target) !== "Allow"
          )
          expect(extra).toEqual([])
        }
      ),
      runs
    )
  })

  it("gives a read key no right the manage key of the same client and environment lacks", () => {
    fc.assert(
      fc.property(withPrincipal((p) => p._tag === "ApiKey" && p.scope === "read"), ({ principal, world }) => {
        fc.pre(principal !== null && principal._tag === "ApiKey")
        const manage = Principal.ApiKey({ ...principal, scope: "manage" })
        const extra = decisions(principal, world).filter(({ action, decision, target }) =>
          decision === "Allow" && Policy.authorize(manage, action, target) !== "Allow"
        )
        expect(extra).toEqual([])
      }),
      runs
    )
  })

  it("never lets aidial_operator mutate, nor anyone write to an archived client", () => {
    fc.assert(
      fc.property(withPrincipal(), ({ principal, world }) => {
        fc.pre(principal !== null)
        const operator = principal._tag === "PlatformUser" && principal.role === "aidial_operator"
        const writes = decisions(principal, world).filter(({ action, decision }) =>
          decision === "Allow" && Policy.isMutation(action)
        )
        expect(operator ? writes : []).toEqual([])
        expect(writes.filter(({ target }) => target._tag === "Client" && target.status === "archived")).toEqual([])
      }),
      runs
    )
  })

  it("gives API keys none of the bearer-only families", () => {
    const bearerOnly = Policy.actions.filter((a) => /^(team|partner|apikey\.(create|rotate|revoke)|client\.(provision|edit|assign|archive)|audit)/.test(a))
    fc.assert(
      fc.property(withPrincipal((p) => p._tag === "ApiKey"), ({ principal, world }) => {
        fc.pre(principal !== null)
        const granted = bearerOnly.flatMap((action) =>
          targetsOf(world).filter((target) => Policy.authorize(principal, action, target) === "Allow").map((target) => ({ action, target }))
        )
        expect(granted).toEqual([])
      }),
      runs
    )
  })
})

const missingClient = Ids.ClientId.make("cli_missing")
const missingProject = Ids.ProjectId.make("prj_missing")

/** Reads every page of a listing, `limit` items at a time. */
const readAll = <A extends { readonly id: string }, E, R>(
  list: (after: string | null) => Effect.Effect<{ readonly items: ReadonlyArray<A>; readonly next: string | null }, E, R>
) =>
  Effect.gen(function*() {
    const ids: Array<string> = []
    let after: string | null = null
    do {
      const page: { readonly items: ReadonlyArray<A>; readonly next: string | null } = yield* list(after)
      ids.push(...page.items.map((item) => item.id))
      after = page.next
    } while (after !== null)
    return ids
  })

const sortedIds = (values: ReadonlyArray<{ readonly id: string }>) => values.map((v) => v.id).sort()

const clientOf = (world: Arbitraries.World, project: Project.Project) => world.clients.find((c) => c.id === project.clientId)

describe("use cases over generated worlds, on memory storage", () => {
  it("lists exactly the clients and projects whose view is allowed, across pages", async () => {
    await fc.assert(
      fc.asyncProperty(withPrincipal(), fc.integer({ min: 1, max: 4 }), async ({ principal, world }, limit) => {
        fc.pre(principal !== null)
        const listed = await Effect.gen(function*() {
          yield* Arbitraries.seed(world)
          const clients = yield* readAll((after) => Directory.listClients(principal, { after, limit }))
          const projects = yield* readAll((after) => Directory.listProjects(principal, {}, { after, limit }))
          return { clients, projects }
        }).pipe(Effect.provide(MemoryTenancy.layerMemory), Effect.runPromise)
        const visibleClients = world.clients.filter((c) => Policy.isAllowed(principal, "client.view", Policy.clientTarget(c)))
        const visibleProjects = world.projects.filter((p) => {
          const client = clientOf(world, p)
          return client !== undefined && Policy.isAllowed(principal, "project.view", Policy.clientTarget(client, p.environment))
        })
        expect(listed.clients).toEqual(sortedIds(visibleClients))
        expect(listed.projects).toEqual(sortedIds(visibleProjects))
      }),
      { numRuns: 1000 }
    )
  })

  it("answers an out-of-scope client or project exactly as a missing one", async () => {
    await fc.assert(
      fc.asyncProperty(
        withPrincipal(),
        fc.nat(),
        async ({ principal, world }, index) => {
          fc.pre(principal !== null)
          const client = world.clients[index % world.clients.length]
          const project = world.projects[index % world.projects.length]
          fc.pre(client !== undefined && project !== undefined)
          const results = await Effect.gen(function*() {
            yield* Arbitraries.seed(world)
            return {
              client: yield* Effect.either(Directory.getClient(principal, client.id)),
              missingClient: yield* Effect.either(Directory.getClient(principal, missingClient)),
              project: yield* Effect.either(Directory.getProject(principal, project.id)),
              missingProject: yield* Effect.either(Directory.getProject(principal, missingProject))
            }
          }).pipe(Effect.provide(MemoryTenancy.layerMemory), Effect.runPromise)
          const owner = clientOf(world, project)
          const projectVisible = owner !== undefined &&
            Policy.isAllowed(principal, "project.view", Policy.clientTarget(owner, project.environment))
          expect(Either.isRight(results.client)).toBe(Policy.isAllowed(principal, "client.view", Policy.clientTarget(client)))
          expect(Either.isRight(results.project)).toBe(projectVisible)
          if (Either.isLeft(results.client)) expect(results.client.left).toEqual(results.missingClient.pipe(Either.flip, Either.getOrThrow))
          if (Either.isLeft(results.project)) expect(results.project.left).toEqual(results.missingProject.pipe(Either.flip, Either.getOrThrow))
        }
      ),
      { numRuns: 1000 }
    )
  })
})
