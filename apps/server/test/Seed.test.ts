import { Directory, Ids, Principals, Projects, UserRepo, VersionRepo } from "@aidial/domain"
import { MemoryProjectConfig, MemoryTenancy, MemoryTransactor, TestClock } from "@aidial/testkit"
import { Effect, Layer, Option } from "effect"
import { describe, expect, it } from "vitest"
import * as Seed from "../src/Seed.js"
import * as Storage from "../src/Storage.js"

const storage = Layer.mergeAll(
  MemoryTenancy.layerMemory,
  MemoryProjectConfig.layerMemory,
  MemoryTransactor.layerMemory,
  TestClock.layer()
)

const run = <A, E>(effect: Effect.Effect<A, E, Layer.Layer.Success<typeof storage>>) =>
  Effect.runPromise(Effect.provide(effect, storage))

const page = { after: null, limit: 200 }

const scopeOf = (subject: string, selected: string | null = null) =>
  Effect.gen(function*() {
    const user = yield* Effect.flatMap(UserRepo.UserRepo, (users) => users.findBySubject(subject))
    if (Option.isNone(user)) return yield* Effect.dieMessage(`no user ${subject}`)
    const principal = yield* Principals.forUser(user.value, selected === null ? null : Ids.ClientId.make(selected))
    const clients = yield* Directory.listClients(principal, page)
    const projects = yield* Projects.listProjects(principal, {}, page)
    return { clients: clients.items.map((c) => c.id), projects: projects.items.map((p) => p.id) }
  })

describe("the demo seed", () => {
  it("seeds an empty database once and leaves existing data alone", async () => {
    const [first, second] = await run(Effect.all([Seed.seed, Seed.seed]))
    expect(first).toBe(true)
    expect(second).toBe(false)
  })

  it("gives Bright Smile Dental's live project two published versions and a valid draft one edit ahead", async () => {
    const seen = await run(Effect.gen(function*() {
      yield* Seed.seed
      const admin = yield* Effect.flatMap(UserRepo.UserRepo, (users) => users.findBySubject("demo-acme-admin"))
      if (Option.isNone(admin)) return yield* Effect.dieMessage("no Acme admin")
      const principal = yield* Principals.forUser(admin.value, null)
      const draft = yield* Projects.getDraft(principal, Seed.configuredProject)
      const versions = yield* Effect.flatMap(VersionRepo.VersionRepo, (repo) => repo.list(Seed.configuredProject))
      const report = yield* Projects.validateDraft(principal, Seed.configuredProject, null)
      const diff = yield* Projects.diff(principal, Seed.configuredProject, "live", "draft")
      return { revision: draft.revision, versions: versions.map((v) => v.version), report, diff }
    }))
    expect(seen).toEqual({
      revision: 3,
      versions: [1, 2],
      report: { valid: true, errors: [] },
      diff: [{ op: "replace", path: "/agent/first_message", value: "Hi, you've reached Bright Smile Dental! How can I help today?" }]
    })
  })

  it("gives every demo user the scope the SPEC describes", async () => {
    const scopes = await run(Effect.gen(function*() {
      yield* Seed.seed
      return {
        acmeAdmin: yield* scopeOf("demo-acme-admin"),
        acmeUser: yield* scopeOf("demo-acme-user"),
        globexAdmin: yield* scopeOf("demo-globex-admin"),
        globexUser: yield* scopeOf("demo-globex-user"),
        bakery: yield* scopeOf("demo-bakery-user"),
        operator: yield* scopeOf("demo-operator"),
        operatorSelected: yield* scopeOf("demo-operator", "cli_globex_hotel"),
        platformAdmin: yield* scopeOf("demo-platform-admin")
      }
    }))
    expect(scopes.acmeAdmin).toEqual({
      clients: ["cli_acme_dental", "cli_acme_plumbing"],
      projects: ["prj_acme_dental_live", "prj_acme_dental_test", "prj_acme_plumbing_live", "prj_acme_plumbing_test"]
    })
    expect(scopes.acmeUser).toEqual({ clients: ["cli_acme_dental"], projects: ["prj_acme_dental_live", "prj_acme_dental_test"] })
    expect(scopes.globexAdmin).toEqual({
      clients: ["cli_globex_clinic", "cli_globex_hotel"],
      projects: ["prj_globex_clinic_live", "prj_globex_clinic_test", "prj_globex_hotel_live", "prj_globex_hotel_test"]
    })
    expect(scopes.globexUser).toEqual({
      clients: ["cli_globex_clinic"],
      projects: ["prj_globex_clinic_live", "prj_globex_clinic_test"]
    })
    expect(scopes.bakery).toEqual({ clients: ["cli_direct_bakery"], projects: ["prj_direct_bakery_live"] })
    const everyClient = ["cli_acme_dental", "cli_acme_plumbing", "cli_direct_bakery", "cli_globex_clinic", "cli_globex_hotel"]
    expect(scopes.operator).toEqual({ clients: everyClient, projects: [] })
    expect(scopes.platformAdmin).toEqual({ clients: everyClient, projects: [] })
    expect(scopes.operatorSelected.projects).toEqual(["prj_globex_hotel_live", "prj_globex_hotel_test"])
  })

  it("has a user for every demo subject", async () => {
    const found = await run(Effect.gen(function*() {
      yield* Seed.seed
      const users = yield* UserRepo.UserRepo
      return yield* Effect.forEach(Seed.users, (u) => Effect.map(users.findBySubject(u.subject), Option.isSome))
    }))
    expect(found.every(Boolean)).toBe(true)
    expect(new Set(Seed.users.map((u) => u.role))).toEqual(
      new Set(["aidial_admin", "aidial_operator", "partner_admin", "partner_user", "customer_user", null])
    )
  })

  it("seeds verified users without any membership, to invite into a new partner organisation", async () => {
    const found = await run(Effect.gen(function*() {
      yield* Seed.seed
      const user = yield* Effect.flatMap(UserRepo.UserRepo, (users) => users.findBySubject("demo-new-partner"))
      if (Option.isNone(user)) return yield* Effect.dieMessage("no new partner user")
      return { user: user.value, principal: yield* Principals.forUser(user.value, null) }
    }))
    expect(found.user).toMatchObject({ email: "new.partner@example.com", emailVerified: true })
    expect(found.principal._tag).toBe("Unaffiliated")
  })
})

describe("the demo seed on SQLite", () => {
  it("migrates an empty in-memory SQLite database, seeds it, and scopes the Acme user", async () => {
    const scope = await Effect.runPromise(
      Effect.provide(scopeOf("demo-acme-user"), Storage.layer({ _tag: "Sqlite", filename: ":memory:" }))
    )
    expect(scope).toEqual({ clients: ["cli_acme_dental"], projects: ["prj_acme_dental_live", "prj_acme_dental_test"] })
  })
})
