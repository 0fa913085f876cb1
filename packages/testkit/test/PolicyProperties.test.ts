import { Directory, Ids, Policy, Principal, type Tenancy } from "@aidial/domain"
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

/** A world and one of its principals. */
interface Case {
  readonly world: Arbitraries.World
  /** `null` when the world holds no principal of the kind asked for. */
  readonly principal: Principal.Principal | null
}

const withPrincipal = (pick: (p: Principal.Principal) => boolean = () => true): fc.Arbitrary<Case> =>
  Arbitraries.world().chain((world): fc.Arbitrary<Case> => {
    const candidates = world.principals.filter(pick)
    return candidates.length === 0
      ? fc.constant<Case>({ world, principal: null })
      : fc.constantFrom(...candidates).map((principal): Case => ({ world, principal }))
  })

/** Whether a principal's own tenancy covers the target (independently of the matrix). */
const related = (principal: Principal.Principal, action: Policy.Action, target: Policy.Target): boolean => {
  switch (principal._tag) {
    case "PlatformUser":
      return target._tag !== "Client" || action === "client.view" || principal.selectedClientId === target.clientId
    case "PartnerUser":
      if (target._tag === "PartnerOrg") return target.partnerOrgId === principal.partnerOrgId
      if (target._tag === "Client") {
        return target.partnerOrgId === principal.partnerOrgId &&
          (principal.role === "partner_admin" || principal.assignedClientIds.has(target.clientId))
      }
      return false
    case "CustomerUser":
      return target._tag === "Client" && target.clientId === principal.clientId
    case "ApiKey":
      return target._tag === "Client" && target.clientId === principal.clientId &&
        (target.environment === null || target.environment === principal.environment)
    case "Unaffiliated":
      return false
  }
}

const decisions = (principal: Principal.Principal, world: Arbitraries.World) =>
  Policy.actions.flatMap((action) =>
    targetsOf(world).map((target) => ({ action, target, decision: Policy.authorize(principal, action, target) }))
  )

describe("authorization over generated worlds", () => {
  it("never allows anything across tenants, partner organisations or environments", () => {
    fc.assert(
      fc.property(withPrincipal(), ({ principal, world }) => {
        if (principal === null) return
        const leaks = decisions(principal, world).filter(({ action, decision, target }) =>
          decision !== "NotFound" && !related(principal, action, target)
        )
        expect(leaks).toEqual([])
      }),
      runs
    )
  })

  it("gives a partner_user no right its organisation's partner_admin lacks", () => {
    fc.assert(
      fc.property(
        withPrincipal((p) => p._tag === "PartnerUser" && p.role === "partner_user"),
        ({ principal, world }) => {
          if (principal === null || principal._tag !== "PartnerUser") return
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
        if (principal === null || principal._tag !== "ApiKey") return
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
        if (principal === null) return
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
        if (principal === null) return
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

const clientOf = (world: Arbitraries.World, project: Tenancy.Project) => world.clients.find((c) => c.id === project.clientId)

describe("use cases over generated worlds, on memory storage", () => {
  it("lists exactly the clients and projects whose view is allowed, across pages", async () => {
    await fc.assert(
      fc.asyncProperty(withPrincipal(), fc.integer({ min: 1, max: 4 }), async ({ principal, world }, limit) => {
        if (principal === null) return
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
          if (principal === null) return
          const client = world.clients[index % world.clients.length]
          const project = world.projects[index % world.projects.length]
          if (client === undefined || project === undefined) return
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
