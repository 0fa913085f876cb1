import { Configuration, Projects } from "@aidial/domain"
import type * as fc from "fast-check"
import { admin, type Model, type Real, verify } from "./World.js"

/** Creates a project: its draft is the empty document at revision 0, with no versions. */
export class CreateCommand implements fc.AsyncCommand<Model, Real> {
  check = (model: Readonly<Model>) => model.projects.length < 3
  async run(model: Model, real: Real): Promise<void> {
    const project = await real.run(
      Projects.create(admin(real.clientId), { clientId: real.clientId, displayName: "Model", timezone: "UTC" })
    )
    model.projects.push({ id: project.id, revision: 0, document: Configuration.toJson(Configuration.empty), versions: [] })
    await verify(model, real)
  }
  toString = () => "create"
}
