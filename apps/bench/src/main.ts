/**
 * `pnpm bench`: prints figures for API-key verification and authorization (no pass/fail timing).
 * (a) the floor written directly on node:crypto and better-sqlite3 on a default connection ((a*) the same
 * on a memory-mapped connection, as the library's are), (b) the library's verifier through the SQLite
 * adapter, (c) `Policy.authorize`, (d) the HTTP comparison, (e) where one request's time goes, (f) missing
 * against out-of-scope ids, medians side by side.
 */
import { KyselyClient, SqlApiKeys, SqlAuditLog, SqlClientRepo, SqlTransactor } from "@aidial/adapters-sql"
import { NodeIdGenerator, NodeSecrets } from "@aidial/adapters-node"
import { ApiKeys, Audit, Clock, Ids, Policy, Principal } from "@aidial/domain"
import SqliteDatabase from "better-sqlite3"
import { Effect, Either, Layer, ManagedRuntime, Redacted } from "effect"
import { timingSafeEqual } from "node:crypto"
import { ensureFixture, pepper, plaintextOf } from "./Fixture.js"
import * as HttpSection from "./HttpSection.js"
import * as Measure from "./Measure.js"
import * as NotFoundSection from "./NotFoundSection.js"
import * as ProjectsSection from "./ProjectsSection.js"
import * as Stages from "./Stages.js"

const keyCount = 1_000_000
const rounds = 7
const perRound = 40_000

/** Keys presented, spread over the whole table so reads are not all in one page. */
const spread = Array.from({ length: perRound }, (_, i) => plaintextOf((i * 7919 * 31) % keyCount))
/** Keys as integrations present them: a working set of 1,000 keys, each used again and again. */
const hotKeys = 1_000
const hot = Array.from({ length: perRound }, (_, i) => plaintextOf(((i % hotKeys) * 7919 * 31) % keyCount))

const file = await ensureFixture(keyCount)
console.log(`SQLite file: ${file} (${keyCount.toLocaleString("en-US")} keys), ${rounds} rounds x ${perRound} ops, medians`)
console.log("")

// (a) The floor: HMAC-SHA-256 + one prepared get by id + digest, status and expiry checks.
const digest = NodeSecrets.makeDigester(pepper)
const raw = new SqliteDatabase(file, { readonly: true })
interface FloorRow {
  readonly digest_hex: string
  readonly status: string
  readonly expires_at: number | null
}
/** The same floor on a connection reading through mmap, as the library's connections do: for reference. */
const mapped = new SqliteDatabase(file, { readonly: true })
mapped.pragma(`mmap_size = ${KyselyClient.defaultMmapBytes}`)
const floorSql = "select digest_hex, status, expires_at from api_keys where id = ?"
const floorOf = (sample: ReadonlyArray<string>, connection: SqliteDatabase.Database = raw): Measure.Subject => {
  const byId = connection.prepare<[string], FloorRow>(floorSql)
  const one = (i: number): void => {
    const token = sample[i] ?? ""
    const mac = Buffer.from(digest(token), "hex")
    const row = byId.get(`key_${token.slice(9, 25)}`)
    if (row === undefined) throw new Error("fixture key missing")
    const ok = timingSafeEqual(mac, Buffer.from(row.digest_hex, "hex")) && row.status === "active" &&
      (row.expires_at === null || row.expires_at > Date.now())
    if (!ok) throw new Error("fixture key refused")
  }
  return {
    round: (count) => {
      for (let i = 0; i < count; i++) one(i)
    },
    one
  }
}

// (b) The library: ApiKeys.makeVerifier on the SQLite adapter with the Node digester. Throughput runs a
// round inside one fiber (as a request handler does); latency runs each call with its own runSync.
const runtime = ManagedRuntime.make(
  SqlApiKeys.layer.pipe(
    Layer.provideMerge(Layer.mergeAll(SqlClientRepo.layer, SqlAuditLog.layer, SqlTransactor.layer)),
    Layer.provideMerge(KyselyClient.layerSqlite({ filename: file })),
    Layer.merge(Layer.mergeAll(NodeSecrets.layer({ pepper }), Clock.layer, NodeIdGenerator.layer))
  )
)
const verifier = await runtime.runPromise(ApiKeys.makeVerifier)
const request = Audit.CurrentRequest.of({ requestId: "bench" })
const libraryOf = (sample: ReadonlyArray<string>): Measure.Subject => {
  const redacted = sample.map((t) => Redacted.make(t))
  return {
    round: (count) =>
      Effect.runSync(Effect.forEach(redacted.slice(0, count), (key) => verifier(key, request), { discard: true })),
    one: (i) => {
      const result = Effect.runSync(Effect.either(verifier(redacted[i] ?? Redacted.make(""), request)))
      if (Either.isLeft(result)) throw new Error(`fixture key refused: ${result.left._tag}`)
    }
  }
}
const [floor, library, floorHot, libraryHot, floorMapped] = Measure.compare(rounds, perRound, [
  floorOf(spread),
  libraryOf(spread),
  floorOf(hot),
  libraryOf(hot),
  floorOf(spread, mapped)
])
raw.close()
mapped.close()
await runtime.dispose()
if (
  floor === undefined || library === undefined || floorHot === undefined || libraryHot === undefined ||
  floorMapped === undefined
) {
  throw new Error("no figures")
}

// (c) Policy.authorize over a mix of principals, actions and targets.
const orgA = Ids.PartnerOrgId.make("org_a")
const orgB = Ids.PartnerOrgId.make("org_b")
const client1 = Ids.ClientId.make("cli_1")
const client2 = Ids.ClientId.make("cli_2")
const principals: ReadonlyArray<Principal.Principal> = [
  Principal.PlatformUser({ userId: Ids.UserId.make("usr_p"), role: "aidial_admin", selectedClientId: client1 }),
  Principal.PlatformUser({ userId: Ids.UserId.make("usr_o"), role: "aidial_operator", selectedClientId: null }),
  Principal.PartnerUser({
    userId: Ids.UserId.make("usr_a"),
    role: "partner_admin",
    partnerOrgId: orgA,
    partnerOrgStatus: "active",
    assignedClientIds: new Set()
  }),
  Principal.PartnerUser({
    userId: Ids.UserId.make("usr_u"),
    role: "partner_user",
    partnerOrgId: orgA,
    partnerOrgStatus: "active",
    assignedClientIds: new Set([client1])
  }),
  Principal.ApiKey({ keyId: Ids.ApiKeyId.make("key_a"), clientId: client1, environment: "live", scope: "read" }),
  Principal.ApiKey({ keyId: Ids.ApiKeyId.make("key_b"), clientId: client2, environment: "test", scope: "manage" })
]
const targets: ReadonlyArray<Policy.Target> = [
  Policy.platformTarget,
  Policy.partnerOrgTarget({ id: orgA, status: "active" }),
  Policy.partnerOrgTarget({ id: orgB, status: "active" }),
  Policy.clientTarget({ id: client1, partnerOrgId: orgA, status: "active" }, "live"),
  Policy.clientTarget({ id: client2, partnerOrgId: orgB, status: "archived" })
]
const combos = principals.flatMap((p) => Policy.actions.flatMap((a) => targets.map((t) => [p, a, t] as const)))
const decisions = 1_000_000
let allowed = 0
const authorize = Measure.measure(rounds, decisions, (i) => {
  const combo = combos[i % combos.length]
  if (combo !== undefined && Policy.authorize(combo[0], combo[1], combo[2]) === "Allow") allowed++
})

const ratio = (x: Measure.Figures, y: Measure.Figures) => `${(x.opsPerSecond / y.opsPerSecond * 100).toFixed(1)} %`
console.log("Every request a different key (40,000 distinct keys a round, spread over the file):")
console.log(Measure.format("(a) floor: HMAC + prepared get + checks", floor))
console.log(Measure.format("(b) ApiKeys verifier, SQLite adapter", library))
console.log(`    ratio (b)/(a): ${ratio(library, floor)} (target >= 75 %)`)
console.log(Measure.format("(a*) the floor through mmap, as (b) reads", floorMapped))
console.log(`    ratio (b)/(a*): ${ratio(library, floorMapped)} (for reference: the same I/O on both sides)`)
console.log(`A working set of ${hotKeys.toLocaleString("en-US")} keys, each presented again and again:`)
console.log(Measure.format("(a') floor: HMAC + prepared get + checks", floorHot))
console.log(Measure.format("(b') ApiKeys verifier, SQLite adapter", libraryHot))
console.log(`    ratio (b')/(a'): ${ratio(libraryHot, floorHot)} (target >= 75 %)`)
console.log(
  Measure.format(`(c) Policy.authorize, ${combos.length} combinations`, authorize) +
    `   (target >= 10,000,000/s; ${allowed > 0 ? "mixed" : "no"} allows)`
)
console.log("")
await HttpSection.run()
console.log("")
await Stages.run()
console.log("")
await ProjectsSection.run()
console.log("")
await NotFoundSection.run()
