import { Directory, Ids, Policy, type Project, Projects } from "@aidial/domain"
import { Effect, Either } from "effect"
import * as fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as Arbitraries from "../src/Arbitraries.js"
import * as AuthorizationProperties from "../src/properties/AuthorizationProperties.js"
import * as MemoryTenancy from "../src/MemoryTenancy.js"
import * as Runs from "./support/Runs.js"

const runs = Runs.numRuns(1000)

AuthorizationProperties.suite("Policy.authorize", Policy.authorize, { exact: true, numRuns: runs })

const withPrincipal = Arbitraries.worldWithPrincipal

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
          const projects = yield* readAll((after) => Projects.listProjects(principal, {}, { after, limit }))
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
      { numRuns: runs }
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
              project: yield* Effect.either(Projects.getProject(principal, project.id)),
              missingProject: yield* Effect.either(Projects.getProject(principal, missingProject))
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
      { numRuns: runs }
    )
  })
})
