import { Json, MergePatch, Projects } from "@aidial/domain"
import type * as fc from "fast-check"
import { admin, disabledIn, type Model, outcome, pick, type Real, verify } from "./World.js"

/**
 * Edits a draft with a merge patch, at the current revision or a stale one. Stale: RevisionMismatch.
 * A patch writing a domain that is not enabled: DomainNotEnabled. A result holding a disabled domain:
 * InvalidConfiguration. Otherwise the draft is the merge and the revision moves by one.
 */
export class PatchCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly projectIndex: number, readonly stale: boolean, readonly patch: Json.JsonObject) {}
  check = (model: Readonly<Model>) => model.projects.length > 0
  async run(model: Model, real: Real): Promise<void> {
    const project = pick(model, this.projectIndex)
    if (project === undefined) throw new Error("no project")
    const expected = this.stale ? (project.revision === 0 ? 1 : project.revision - 1) : project.revision
    const actual = await real.run(outcome(Projects.patchDraft(admin(real.clientId), project.id, expected, this.patch)))
    const next = MergePatch.apply(project.document, this.patch)
    const prediction = this.stale
      ? "RevisionMismatch"
      : disabledIn(model, this.patch).length > 0
      ? "DomainNotEnabled"
      : disabledIn(model, next).length > 0
      ? "InvalidConfiguration"
      : "ok"
    if (actual !== prediction) throw new Error(`patch: expected ${prediction}, got ${actual}`)
    if (actual === "ok") {
      project.document = next
      project.revision++
    }
    await verify(model, real)
  }
  toString = () => `patch(project ${this.projectIndex}, ${this.stale ? "stale" : "fresh"}, ${JSON.stringify(this.patch)})`
}
