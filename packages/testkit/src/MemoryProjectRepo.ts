import { ClientRepo, type Project, ProjectRepo } from "@aidial/domain"
import { Effect, Layer, Option } from "effect"
import * as Journal from "./internal/Journal.js"
import { pageOf } from "./internal/pageOf.js"

/** Projects in a `Map`, for tests and prototypes; filtering by partner org reads the client repository. */
export const layerMemory: Layer.Layer<ProjectRepo.ProjectRepo, never, ClientRepo.ClientRepo> = Layer.effect(
  ProjectRepo.ProjectRepo,
  Effect.gen(function*() {
    const clients = yield* ClientRepo.ClientRepo
    const projects = new Map<string, Project.Project>()
    const ownedBy = (partnerOrgId: string) =>
      Effect.map(
        clients.list({}, { after: null, limit: Number.MAX_SAFE_INTEGER }),
        (page) => new Set(page.items.filter((c) => c.partnerOrgId === partnerOrgId).map((c) => c.id))
      )
    const matcher = (filter: ProjectRepo.ProjectFilter) =>
      Effect.map(
        filter.partnerOrgId === undefined ? Effect.succeed(null) : ownedBy(filter.partnerOrgId),
        (owned) => (p: Project.Project): boolean =>
          (owned === null || owned.has(p.clientId)) &&
          (filter.clientIds === undefined || filter.clientIds.includes(p.clientId)) &&
          (filter.environment === undefined || p.environment === filter.environment)
      )
    return ProjectRepo.ProjectRepo.of({
      get: (id) => Effect.sync(() => Option.fromNullable(projects.get(id))),
      getWithin: (id, filter) => Effect.map(matcher(filter), (matches) => Option.filter(Option.fromNullable(projects.get(id)), matches)),
      insert: (project) => Journal.set(projects, project.id, project),
      update: (project) => (projects.has(project.id) ? Journal.set(projects, project.id, project) : Effect.void),
      list: (filter, page) => Effect.map(matcher(filter), (matches) => pageOf(projects.values(), matches, page))
    })
  })
)
