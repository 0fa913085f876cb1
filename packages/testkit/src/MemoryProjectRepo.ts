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
    return ProjectRepo.ProjectRepo.of({
      get: (id) => Effect.sync(() => Option.fromNullable(projects.get(id))),
      insert: (project) => Journal.set(projects, project.id, project),
      update: (project) => (projects.has(project.id) ? Journal.set(projects, project.id, project) : Effect.void),
      list: (filter, page) =>
        Effect.gen(function*() {
          const owned = filter.partnerOrgId === undefined ? null : yield* ownedBy(filter.partnerOrgId)
          return pageOf(
            projects.values(),
            (p) =>
              (owned === null || owned.has(p.clientId)) &&
              (filter.clientIds === undefined || filter.clientIds.includes(p.clientId)) &&
              (filter.environment === undefined || p.environment === filter.environment),
            page
          )
        })
    })
  })
)
