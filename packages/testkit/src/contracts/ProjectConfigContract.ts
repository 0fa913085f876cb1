import { describe, expect, it } from "@effect/vitest"
import {
  ContentHash,
  Configuration,
  DraftRepo,
  EntitlementRepo,
  Entitlements,
  Ids,
  Project,
  type ProjectConfigRepos,
  ProjectRepo,
  Transactor,
  VersionRepo
} from "@aidial/domain"
import { Effect, Exit, type Layer, Option } from "effect"

/** What a storage adapter provides for the project-configuration ports (with projects, whose live version it keeps). */
export type ProjectConfigPorts = ProjectConfigRepos | ProjectRepo.ProjectRepo | Transactor.Transactor

const t0 = new Date("2026-01-01T00:00:00.000Z")
const clientId = Ids.ClientId.make("cli_contract")
const projectId = Ids.ProjectId.make("prj_contract")

const project = new Project.Project({
  id: projectId,
  clientId,
  environment: "live",
  displayName: "Contract",
  timezone: Project.Project.fields.timezone.make("Australia/Sydney"),
  isActive: true,
  createdAt: t0
})

const document = (instructions: string): Configuration.Document => ({
  ...Configuration.empty,
  agent: { ...Configuration.empty.agent, instructions },
  call_limits: { max_concurrent_calls: 3, max_call_minutes: 30, daily_call_cap: 500 },
  transfer: { targets: [{ label: "Front desk", number: "+61212345678" }], fallback: "voicemail" }
})

const draft = (revision: number, instructions: string, restoredFrom: number | null = null) =>
  new Project.Draft({
    projectId,
    revision,
    document: document(instructions),
    updatedAt: new Date(t0.getTime() + revision * 1000),
    updatedBy: "usr_contract",
    restoredFrom
  })

const version = (n: number, instructions: string) => {
  const doc = document(instructions)
  return new Project.Version({
    projectId,
    version: n,
    document: doc,
    contentHash: ContentHash.of(Configuration.toJson(doc)),
    revision: n,
    publishedAt: new Date(t0.getTime() + n * 60_000),
    publishedBy: "key_contract",
    note: n === 1 ? null : `release ${n}`
  })
}

/**
 * The contract every storage adapter of the project-configuration ports passes. `layer` must give
 * every test fresh, empty storage.
 */
export const suite = <E>(name: string, layer: Layer.Layer<ProjectConfigPorts, E>) =>
  describe(`${name}: project-configuration ports`, () => {
    const run = <A, E2>(effect: Effect.Effect<A, E2, ProjectConfigPorts>) =>
      Effect.provide(Effect.zipRight(Effect.flatMap(ProjectRepo.ProjectRepo, (r) => r.insert(project)), effect), layer)

    it.effect("has no draft until one is saved, then returns it field for field", () =>
      run(Effect.gen(function*() {
        const drafts = yield* DraftRepo.DraftRepo
        expect(yield* drafts.get(projectId)).toEqual(Option.none())
        yield* drafts.save(draft(1, "hello"), 0)
        expect(yield* drafts.get(projectId)).toEqual(Option.some(draft(1, "hello")))
      })))

    it.effect("saves only over the expected revision; a stale save changes nothing and names the current revision", () =>
      run(Effect.gen(function*() {
        const drafts = yield* DraftRepo.DraftRepo
        yield* drafts.save(draft(1, "one"), 0)
        const again = yield* Effect.exit(drafts.save(draft(1, "other one"), 0))
        expect(again).toEqual(Exit.fail(new Project.RevisionMismatch({ expected: 0, current: 1 })))
        yield* drafts.save(draft(2, "two", 1), 1)
        const stale = yield* Effect.exit(drafts.save(draft(2, "stale"), 1))
        expect(stale).toEqual(Exit.fail(new Project.RevisionMismatch({ expected: 1, current: 2 })))
        expect(yield* drafts.get(projectId)).toEqual(Option.some(draft(2, "two", 1)))
      })))

    it.effect("keeps each saved draft's head: its revision, the content hash and domains of its document, its text", () =>
      run(Effect.gen(function*() {
        const drafts = yield* DraftRepo.DraftRepo
        expect(yield* drafts.head(projectId)).toEqual(Option.none())
        yield* drafts.save(draft(1, "one"), 0)
        yield* drafts.save(draft(2, "two", 1), 1)
        const head = Option.getOrThrow(yield* drafts.head(projectId))
        const saved = Option.getOrThrow(yield* drafts.get(projectId))
        expect(head.revision).toBe(2)
        expect(head.contentHash).toBe(ContentHash.of(Configuration.toJson(saved.document)))
        expect(head.domains).toEqual(["agent", "call_limits", "transfer"])
        expect(JSON.parse(head.documentText)).toEqual(saved.document)
        const stale = yield* Effect.exit(drafts.save(draft(2, "stale"), 1))
        expect(Exit.isFailure(stale)).toBe(true)
        expect(yield* drafts.head(projectId)).toEqual(Option.some(head))
      })))

    it.effect("appends a version from a draft's stored text: its document is the draft's and hashes to its content hash", () =>
      run(Effect.gen(function*() {
        const drafts = yield* DraftRepo.DraftRepo
        const versions = yield* VersionRepo.VersionRepo
        expect(yield* versions.liveHead(projectId)).toEqual(Option.none())
        yield* drafts.save(draft(1, "from the draft"), 0)
        const head = Option.getOrThrow(yield* drafts.head(projectId))
        const { document: _, ...info } = version(1, "from the draft")
        yield* versions.insertText(new Project.VersionInfo(info), head.documentText)
        expect(yield* versions.get(projectId, 1)).toEqual(Option.some(version(1, "from the draft")))
        const stored = Option.getOrThrow(yield* versions.live(projectId))
        expect(stored.contentHash).toBe(ContentHash.of(Configuration.toJson(stored.document)))
        expect(yield* versions.liveHead(projectId)).toEqual(Option.some({ version: 1, contentHash: head.contentHash }))
        const taken = yield* Effect.exit(versions.insertText(new Project.VersionInfo(info), head.documentText))
        expect(taken).toEqual(Exit.fail(new Project.VersionConflict({ version: 1 })))
        yield* versions.insert(version(2, "second"))
        expect(yield* versions.liveHead(projectId)).toEqual(
          Option.some({ version: 2, contentHash: version(2, "second").contentHash })
        )
      })))

    it.effect("appends versions, lists them in order, and makes the last one live", () =>
      run(Effect.gen(function*() {
        const versions = yield* VersionRepo.VersionRepo
        expect(yield* versions.live(projectId)).toEqual(Option.none())
        yield* versions.insert(version(1, "first"))
        yield* versions.insert(version(2, "second"))
        expect(yield* versions.list(projectId)).toEqual([version(1, "first"), version(2, "second")])
        expect(yield* versions.get(projectId, 1)).toEqual(Option.some(version(1, "first")))
        expect(yield* versions.get(projectId, 3)).toEqual(Option.none())
        expect(yield* versions.live(projectId)).toEqual(Option.some(version(2, "second")))
        expect(yield* versions.list(Ids.ProjectId.make("prj_other"))).toEqual([])
      })))

    it.effect("refuses a version number already taken and keeps the stored version as it was", () =>
      run(Effect.gen(function*() {
        const versions = yield* VersionRepo.VersionRepo
        yield* versions.insert(version(1, "first"))
        const taken = yield* Effect.exit(versions.insert(version(1, "impostor")))
        expect(taken).toEqual(Exit.fail(new Project.VersionConflict({ version: 1 })))
        expect(yield* versions.list(projectId)).toEqual([version(1, "first")])
        expect(yield* versions.live(projectId)).toEqual(Option.some(version(1, "first")))
      })))

    it.effect("stores entitlements per client and replaces them whole", () =>
      run(Effect.gen(function*() {
        const repo = yield* EntitlementRepo.EntitlementRepo
        expect(yield* repo.get(clientId)).toEqual(Option.none())
        const first = new Entitlements.Entitlements({ clientId, enabled: ["agent", "transfer", "call_limits"], updatedAt: t0 })
        yield* repo.put(first)
        expect(yield* repo.get(clientId)).toEqual(Option.some(first))
        const second = new Entitlements.Entitlements({ clientId, enabled: ["agent"], updatedAt: null })
        yield* repo.put(second)
        expect(yield* repo.get(clientId)).toEqual(Option.some(second))
        expect(yield* repo.get(Ids.ClientId.make("cli_other"))).toEqual(Option.none())
      })))

    it.effect("updates a project's metadata", () =>
      run(Effect.gen(function*() {
        const projects = yield* ProjectRepo.ProjectRepo
        const renamed = new Project.Project({ ...project, displayName: "Renamed", isActive: false })
        yield* projects.update(renamed)
        expect(yield* projects.get(projectId)).toEqual(Option.some(renamed))
      })))

    it.effect("undoes draft, version and entitlement writes of a transaction that fails", () =>
      run(Effect.gen(function*() {
        const drafts = yield* DraftRepo.DraftRepo
        const versions = yield* VersionRepo.VersionRepo
        const entitlements = yield* EntitlementRepo.EntitlementRepo
        yield* drafts.save(draft(1, "kept"), 0)
        const failed = yield* Effect.exit((yield* Transactor.Transactor).withTransaction(Effect.gen(function*() {
          yield* drafts.save(draft(2, "lost"), 1)
          yield* versions.insert(version(1, "lost"))
          yield* entitlements.put(new Entitlements.Entitlements({ clientId, enabled: ["agent", "knowledge"], updatedAt: t0 }))
          return yield* Effect.fail("boom")
        })))
        expect(Exit.isFailure(failed)).toBe(true)
        expect(yield* drafts.get(projectId)).toEqual(Option.some(draft(1, "kept")))
        expect(yield* versions.list(projectId)).toEqual([])
        expect(yield* versions.live(projectId)).toEqual(Option.none())
        expect(yield* entitlements.get(clientId)).toEqual(Option.none())
      })))
  })
