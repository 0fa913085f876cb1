import { Configuration, Json, MergePatch, Projects } from "@aidial/domain"
import type * as fc from "fast-check"
import { admin, type Model, outcome, pick, type Real, verify } from "./World.js"

/**
 * Restores version k into the draft, at the current revision or a stale one: stale is
 * RevisionMismatch; a restore changing a disabled domain is DomainNotEnabled; otherwise the draft
 * becomes version k's document as the next revision.
 */
export class RestoreCommand implements fc.AsyncCommand<Model, Real> {
  constructor(readonly projectIndex: number, readonly versionIndex: number, readonly stale: boolean) {}
  check = (model: Readonly<Model>) => model.projects.some((p) => p.versions.length > 0)
  async run(model: Model, real: Real): Promise<void> {
    const project = pick(model, this.projectIndex)
    if (project === undefined) throw new Error("no project")
    const k = project.versions.length === 0 ? 1 : (this.versionIndex % project.versions.length) + 1
    const version = project.versions[k - 1]
    const expected = this.stale ? project.revision + 1 : project.revision
    const actual = await real.run(outcome(Projects.restore(admin(real.clientId), project.id, k, expected)))
    const changed = version === undefined || !Json.isObject(version.document) || !Json.isObject(project.document)
      ? []
      : MergePatch.changedKeys(project.document, version.document)
    const prediction = version === undefined
      ? "NotFound"
      : this.stale
      ? "RevisionMismatch"
      : changed.some((d) => Configuration.isDomain(d) && d !== "agent" && !model.enabled.has(d))
      ? "DomainNotEnabled"
      : "ok"
    if (actual !== prediction) throw new Error(`restore ${k}: expected ${prediction}, got ${actual}`)
    if (actual === "ok" && version !== undefined) {
      project.document = version.document
      project.revision++
    }
    await verify(model, real)
  }
  toString = () => `restore(project ${this.projectIndex}, version ${this.versionIndex}, ${this.stale ? "stale" : "fresh"})`
}
