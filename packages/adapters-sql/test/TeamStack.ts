import { KyselyClient, Migrations, SqlStack } from "@aidial/adapters-sql"
import {
  Ids,
  MembershipRepo,
  PartnerOrgs,
  Principals,
  Role,
  Secrets,
  type StorageError,
  type Teams,
  User,
  UserRepo
} from "@aidial/domain"
import { MemoryStack } from "@aidial/testkit"
import { Effect, Layer, Redacted, Schema } from "effect"
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { pgTestLayer } from "./pgLayer.js"

/** HMAC-SHA-256 secrets with a fixed test pepper. */
export const secrets: Layer.Layer<Secrets.Secrets> = Layer.succeed(
  Secrets.Secrets,
  Secrets.Secrets.of({
    randomBytes: (length) => Effect.sync(() => new Uint8Array(randomBytes(length))),
    digest: (secret) => Effect.sync(() => ({ version: 1, hex: createHmac("sha256", "test-pepper").update(secret).digest("hex") })),
    matches: (secret, stored) =>
      Effect.sync(() => {
        const actual = Buffer.from(createHmac("sha256", "test-pepper").update(secret).digest("hex"), "hex")
        const expected = Buffer.from(stored.hex, "hex")
        return stored.version === 1 && actual.length === expected.length && timingSafeEqual(actual, expected)
      })
  })
)

/** A `KyselyClient` on a SQLite file, migrated to the latest version. */
export const sqliteFileLayer = (filename: string): Layer.Layer<KyselyClient.KyselyClient, StorageError.StorageError> =>
  Layer.effectDiscard(Migrations.migrate).pipe(Layer.provideMerge(KyselyClient.layerSqlite({ filename })))

/** A `KyselyClient` on a SQLite file in a fresh temporary directory, removed with the layer. */
export const sqliteTempFileLayer = (): Layer.Layer<KyselyClient.KyselyClient, StorageError.StorageError> =>
  Layer.unwrapScoped(
    Effect.map(
      Effect.acquireRelease(
        Effect.sync(() => fs.mkdtempSync(path.join(os.tmpdir(), "aidial-team-"))),
        (dir) => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true }))
      ),
      (dir) => sqliteFileLayer(path.join(dir, "team.db"))
    )
  )

/** The databases a race or transaction test runs on, each by its name: a fresh SQLite file, and PostgreSQL. */
export const backends = [
  ["SQLite file", sqliteTempFileLayer],
  ["PostgreSQL", pgTestLayer]
] as const

/** Every SQL storage port, deterministic ids and clock, and test secrets over one `KyselyClient`. */
export const stack = <E>(client: Layer.Layer<KyselyClient.KyselyClient, E>) =>
  Layer.mergeAll(
    SqlStack.layer.pipe(Layer.provideMerge(client)),
    MemoryStack.layerRuntime(),
    secrets
  )

let users = 0
/** Stores a signed-in user with a verified email. */
export const addUser = (address: string) =>
  Effect.gen(function*() {
    const n = ++users
    const user = new User.User({
      id: Ids.UserId.make(`usr_race${String(n).padStart(4, "0")}`),
      subject: `sub-race-${n}`,
      email: email(address),
      emailVerified: true,
      displayName: address,
      createdAt: new Date("2025-12-01T00:00:00.000Z")
    })
    yield* (yield* UserRepo.UserRepo).insert(user)
    return user
  })

/** A platform admin and a freshly provisioned (`provisioning`) partner organisation. */
export const provisionOrg = Effect.gen(function*() {
  const admin = yield* addUser(`platform-${users + 1}@aidial.example`)
  yield* (yield* MembershipRepo.MembershipRepo).put(new Role.PlatformMembership({ userId: admin.id, role: "aidial_admin" }))
  const platform = yield* Principals.forUser(admin, null)
  const org = yield* PartnerOrgs.provision(platform, { name: "Acme Partners", description: "" })
  return { platform, org }
})

/** Normalises an email address as the HTTP adapter does. */
export const email = (address: string): User.Email => Schema.decodeSync(User.EmailFromInput)(address)

/** The acceptance code inside an invitation link. */
export const codeOf = (issued: Teams.Issued): Redacted.Redacted<string> => {
  const match = /[?&]code=([^&]+)/.exec(Redacted.value(issued.link))
  return Redacted.make(decodeURIComponent(match?.[1] ?? ""))
}
