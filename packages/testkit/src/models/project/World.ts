import {
  type Audit,
  type AuditLog,
  type Clock,
  Configuration,
  ContentHash,
  DraftRepo,
  type IdGenerator,
  Ids,
  Json,
  Principal,
  type ProjectConfigRepos,
  type TenancyRepos,
  type Transactor,
  VersionRepo
} from "@aidial/domain"
import { Effect, Either, Option } from "effect"

/** What the adapter under test provides. */
export type Provided = TenancyRepos | ProjectConfigRepos | AuditLog.AuditLog | Transactor.Transactor | IdGenerator.IdGenerator

/** What the commands run against: the adapter plus a clock and a current request. */
export type Services = Provided | Clock.Clock | Audit.CurrentRequest

/** One published version as the model saw it published. */
export interface ModelVersion {
  readonly document: Json.Json
  /** The content hash the real system gave it when it was published; it must never change. */
  readonly contentHash: string
}

/** One project as the model sees it. */
export interface ModelProject {
  readonly id: Ids.ProjectId
  revision: number
  document: Json.Json
  readonly versions: Array<ModelVersion>
}

export interface Model {
  readonly projects: Array<ModelProject>
  readonly enabled: Set<Configuration.RuntimeDomain>
}

export interface Real {
  readonly run: <A, E>(effect: Effect.Effect<A, E, Services>) => Promise<A>
  readonly clientId: Ids.ClientId
}

export const partnerOrgId = Ids.PartnerOrgId.make("org_model")

/** The client's partner_admin: holds project.edit, publish and restore. */
export const admin = (clientId: Ids.ClientId) =>
  Principal.PartnerUser({
    userId: Ids.UserId.make("usr_model_admin"),
    role: "partner_admin",
    partnerOrgId,
    partnerOrgStatus: "active",
    assignedClientIds: new Set([clientId])
  })

/** An aidial_admin with the client selected: the only one who sets entitlements. */
export const platformAdmin = (clientId: Ids.ClientId) =>
  Principal.PlatformUser({ userId: Ids.UserId.make("usr_model_platform"), role: "aidial_admin", selectedClientId: clientId })

/** `"ok"` or the failure's tag, so commands compare outcomes with the model's prediction. */
export const outcome = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.either(effect), (result) => (Either.isRight(result) ? "ok" : result.left._tag))

/** The runtime domains set in a document that are not enabled. */
export const disabledIn = (model: Model, document: Json.Json): ReadonlyArray<string> =>
  Json.isObject(document)
    ? Object.keys(document).filter((k) => Configuration.isDomain(k) && !model.enabled.has(k) && k !== "agent")
    : []

/** Pick one of the model's projects by a generated index. */
export const pick = (model: Readonly<Model>, index: number): ModelProject | undefined =>
  model.projects[index % Math.max(model.projects.length, 1)]

/**
 * The real system agrees with the model: each draft's revision and document; versions contiguous
 * from 1, each with the document and the content hash it was published with; live is the last one.
 */
export const verify = (model: Readonly<Model>, real: Real): Promise<void> =>
  real.run(Effect.gen(function*() {
    const drafts = yield* DraftRepo.DraftRepo
    const versions = yield* VersionRepo.VersionRepo
    for (const project of model.projects) {
      const draft = yield* drafts.get(project.id)
      const revision = Option.match(draft, { onNone: () => 0, onSome: (d) => d.revision })
      const document = Option.match(draft, {
        onNone: () => Configuration.toJson(Configuration.empty),
        onSome: (d) => Configuration.toJson(d.document)
      })
      if (revision !== project.revision) throw new Error(`${project.id}: revision ${revision}, model ${project.revision}`)
      if (!Json.equals(document, project.document)) throw new Error(`${project.id}: the draft differs from the model`)
      const stored = yield* versions.list(project.id)
      const numbers = stored.map((v) => v.version).join()
      const expected = project.versions.map((_, i) => i + 1).join()
      if (numbers !== expected) throw new Error(`${project.id}: versions ${numbers}, model ${expected}`)
      stored.forEach((v, i) => {
        const seen = project.versions[i]
        if (seen === undefined || !Json.equals(Configuration.toJson(v.document), seen.document)) {
          throw new Error(`${project.id}: version ${v.version} changed`)
        }
        if (v.contentHash !== seen.contentHash) throw new Error(`${project.id}: the hash of version ${v.version} changed`)
        if (v.contentHash !== ContentHash.of(Configuration.toJson(v.document))) {
          throw new Error(`${project.id}: version ${v.version} does not hash to its content hash`)
        }
      })
      const live = yield* versions.live(project.id)
      const liveNumber = Option.match(live, { onNone: () => 0, onSome: (v) => v.version })
      if (liveNumber !== project.versions.length) throw new Error(`${project.id}: live is ${liveNumber}, not the last published`)
    }
  }))
