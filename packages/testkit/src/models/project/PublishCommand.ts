import { Json, Projects } from "@aidial/domain"
import { Effect, Either } from "effect"
import type * as fc from "fast-check"
import { admin, disabledIn, type Model, pick, type Real, verify } from "./World.js"

/**
 * Publishes the draft at its current revision: a draft holding a disabled domain is invalid, a draft
 * equal to the last version is NothingToPublish, anything else becomes version N+1.
 */
export class PublishCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly projectIndex: number) {}
  check = (model: Readonly<Model>) => model.projects.length > 0
  async run(model: Model, real: Real): Promise<void> {
    const project = pick(model, this.projectIndex)
    if (project === undefined) throw new Error("no project")
    const result = await real.run(Effect.either(Projects.publish(admin(real.clientId), project.id, project.revision, null)))
    const last = project.versions.at(-1)
    const prediction = disabledIn(model, project.document).length > 0
      ? "InvalidConfiguration"
      : last !== undefined && Json.equals(last.document, project.document)
      ? "NothingToPublish"
      : "ok"
    const actual = Either.isRight(result) ? "ok" : result.left._tag
    if (actual !== prediction) throw new Error(`publish: expected ${prediction}, got ${actual}`)
    if (Either.isRight(result)) {
      if (result.right.version !== project.versions.length + 1) throw new Error(`publish made version ${result.right.version}`)
      project.versions.push({ document: project.document, contentHash: result.right.contentHash })
    }
    await verify(model, real)
  }
  toString = () => `publish(project ${this.projectIndex})`
}
