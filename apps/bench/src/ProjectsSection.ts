/**
 * Bench section (p): project configuration on a SQLite file. Publishing a realistic 32 KB configuration
 * through `Projects.publish` (authorization, the draft's stored head and the live version's hash, the entitlement
 * check, the version row, the live pointer, the audit event, one transaction) against the floor of the same rows
 * written directly with prepared better-sqlite3 statements in one transaction; and reading the live
 * configuration by project id through `VersionRepo.live` against a direct prepared read of the same row.
 */
import { KyselyClient, Migrations, SqlStack } from "@aidial/adapters-sql"
import { NodeIdGenerator } from "@aidial/adapters-node"
import {
  Audit,
  ClientRepo,
  Clock,
  Configuration,
  ContentHash,
  DraftRepo,
  EntitlementRepo,
  Entitlements,
  Ids,
  Principal,
  Project,
  ProjectRepo,
  Projects,
  Tenancy,
  VersionRepo
} from "@aidial/domain"
import SqliteDatabase from "better-sqlite3"
import { Effect, Layer, ManagedRuntime } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { median } from "./Measure.js"

const text = (seed: number, length: number) => {
  const words = ["appointment", "patient", "reschedule", "insurance", "hygienist", "emergency", "parking", "invoice"]
  let out = ""
  for (let i = 0; out.length < length; i++) out += `${words[(seed + i * 7) % words.length]} `
  return out.slice(0, length)
}

/** A configuration of about 32 KB: long instructions, notices in six languages, hours, limits, transfers. */
export const realistic = (seed: number): Configuration.Document => ({
  agent: { instructions: text(seed, 19_500), first_message: `Hello, caller ${seed}!`, language: "en-AU", voice: "aria", model: "default" },
  knowledge: { knowledge_base_ids: Array.from({ length: 40 }, (_, i) => `kb_${seed}_${i}`) },
  telephony: { phone_number_ids: Array.from({ length: 10 }, (_, i) => `pn_${i}`), caller_id: "+61212345678" },
  business_hours: {
    weekly: (["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const).flatMap((day) => [
      { day, open: "08:00", close: "12:00" },
      { day, open: "13:00", close: "17:30" }
    ]),
    closed_dates: Array.from({ length: 30 }, (_, i) => new Date(Date.UTC(2026, 0, 1 + i * 11)).toISOString().slice(0, 10))
  },
  call_limits: { max_concurrent_calls: 8, max_call_minutes: 30, daily_call_cap: 2_000 },
  consent_notice: {
    notices: ["en", "en-AU", "fr-FR", "de-DE", "ja", "es-419"].map((language, i) => ({ language, text: text(seed + i, 1_800) }))
  },
  transfer: {
    targets: Array.from({ length: 8 }, (_, i) => ({ label: `Desk ${i}`, number: `+6121234560${i}` })),
    fallback: "voicemail"
  }
})

const percentile = (values: ReadonlyArray<number>, p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0
}

const line = (label: string, perSecond: number, latencies: ReadonlyArray<number>) =>
  `${label.padEnd(58)} ${Math.round(perSecond).toLocaleString("en-US").padStart(9)} ops/s   p50 ${
    median(latencies).toFixed(1).padStart(7)
  } us   p99 ${percentile(latencies, 0.99).toFixed(1).padStart(7)} us`

const elapsedUs = (start: bigint) => Number(process.hrtime.bigint() - start) / 1000

export const run = async (): Promise<void> => {
  const dir = mkdtempSync(join(tmpdir(), "aidial-bench-projects-"))
  const file = join(dir, "projects.db")
  const publishes = 400
  // Publishes of each kind run first and untimed, so that both are measured compiled and warm.
  const warmup = 400
  const reads = 20_000
  const at = new Date("2026-01-01T00:00:00.000Z")
  const clientId = Ids.ClientId.make("cli_bench")
  const partnerOrgId = Ids.PartnerOrgId.make("org_bench")
  const admin = Principal.PartnerUser({
    userId: Ids.UserId.make("usr_bench"),
    role: "partner_admin",
    partnerOrgId,
    partnerOrgStatus: "active",
    assignedClientIds: new Set()
  })
  // Tracing off, as the reference server runs (`Http.untraced`): use cases open no spans.
  const runtime = ManagedRuntime.make(
    SqlStack.layer.pipe(
      Layer.provideMerge(Layer.effectDiscard(Migrations.migrate).pipe(Layer.provideMerge(KyselyClient.layerSqlite({ filename: file })))),
      Layer.merge(Layer.mergeAll(Clock.layer, NodeIdGenerator.layer, Layer.succeed(Audit.CurrentRequest, { requestId: "req_bench" }))),
      Layer.merge(Layer.setTracerEnabled(false))
    )
  )
  try {
    // Built once for the setup and the floor's texts, then dropped: the timed loops run on a heap without them.
    let documents = Array.from({ length: warmup + publishes }, (_, i) => realistic(i))
    const bytes = median(documents.map(Configuration.sizeOf))
    // Setup (not timed): a client with every domain enabled, and per run a project whose draft differs from live.
    const projectIds = (prefix: string) =>
      Array.from({ length: warmup + publishes }, (_, i) => Ids.ProjectId.make(`prj_${prefix}_${i}`))
    const library = projectIds("lib")
    const floor = projectIds("floor")
    const readingFloor = projectIds("rfloor")
    await runtime.runPromise(Effect.gen(function*() {
      yield* (yield* ClientRepo.ClientRepo).insert(
        new Tenancy.Client({ id: clientId, partnerOrgId, name: "Bench", status: "active", createdAt: at })
      )
      yield* (yield* EntitlementRepo.EntitlementRepo).put(
        new Entitlements.Entitlements({ clientId, enabled: Configuration.domains, updatedAt: at })
      )
      const projects = yield* ProjectRepo.ProjectRepo
      const drafts = yield* DraftRepo.DraftRepo
      for (const [i, id] of [...library, ...floor, ...readingFloor].entries()) {
        yield* projects.insert(new Project.Project({
          id,
          clientId,
          environment: "live",
          displayName: "Bench",
          timezone: Tenancy.Timezone.make("Australia/Sydney"),
          isActive: true,
          createdAt: at
        }))
        const document = documents[i % documents.length] ?? Configuration.empty
        yield* drafts.save(
          new Project.Draft({ projectId: id, revision: 1, document, updatedAt: at, updatedBy: "usr_bench", restoredFrom: null }),
          0
        )
      }
    }))

    // The floor: the version row, the live pointer and the audit row, prepared, in one transaction.
    const raw = new SqliteDatabase(file)
    raw.pragma("journal_mode = WAL")
    const insertVersion = raw.prepare(
      "insert into project_versions (project_id, version, document, content_hash, revision, published_at, published_by, note) values (?, ?, ?, ?, ?, ?, ?, ?)"
    )
    const setLive = raw.prepare("update projects set live_version = ? where id = ?")
    const insertAudit = raw.prepare(
      "insert into audit_events (id, at, actor_kind, actor_id, action, target_type, target_id, client_id, partner_org_id, outcome, request_id, details) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    )
    const hashes = documents.map((d) => ContentHash.of(Configuration.toJson(d)))
    const texts = documents.map((d) => JSON.stringify(d))
    documents = []
    const writeFloor = raw.transaction((i: number) => {
      const id = floor[i] ?? ""
      insertVersion.run(id, 1, texts[i], hashes[i], 1, Date.now(), "usr_bench", null)
      setLive.run(1, id)
      insertAudit.run(`evt_floor_${i}`, Date.now(), "user", "usr_bench", "project.publish", "project", id, clientId, partnerOrgId, "success", "req_bench", JSON.stringify({ version: "1" }))
    })

    // The floor with the reads a publish makes: the project (in the organisation's scope), its client, the
    // draft, the entitlements and the live head, then the same three rows, prepared, in one transaction.
    const readProject = raw.prepare(
      "select * from projects where id = ? and exists (select 1 from clients where clients.id = projects.client_id and clients.partner_org_id = ?)"
    )
    const readClient = raw.prepare("select * from clients where id = ?")
    const readDraft = raw.prepare("select * from project_drafts where project_id = ?")
    const readEntitlements = raw.prepare("select * from client_entitlements where client_id = ?")
    const readLiveHead = raw.prepare(
      "select v.version, v.content_hash from projects p join project_versions v on v.project_id = p.id and v.version = p.live_version where p.id = ?"
    )
    const readWriteFloor = raw.transaction((i: number) => {
      const id = readingFloor[i] ?? ""
      const project = readProject.get(id, partnerOrgId) as { readonly client_id: string } | undefined
      if (project === undefined || readClient.get(project.client_id) === undefined) throw new Error("no project")
      const draft = readDraft.get(id) as { readonly document: string; readonly content_hash: string; readonly revision: number }
      if (readEntitlements.get(project.client_id) === undefined || readLiveHead.get(id) !== undefined) throw new Error("unexpected rows")
      insertVersion.run(id, 1, draft.document, draft.content_hash, draft.revision, Date.now(), "usr_bench", null)
      setLive.run(1, id)
      insertAudit.run(`evt_rfloor_${i}`, Date.now(), "user", "usr_bench", "project.publish", "project", id, clientId, partnerOrgId, "success", "req_bench", JSON.stringify({ version: "1" }))
    })

    const publishOne = (i: number) => runtime.runPromise(Projects.publish(admin, library[i] ?? Ids.ProjectId.make("prj_none"), 1, null))
    for (let i = 0; i < warmup; i++) {
      writeFloor(i)
      readWriteFloor.immediate(i)
      await publishOne(i)
    }
    // Eight rounds, the three subjects in turn within each, so that machine noise (a checkpoint, another
    // process) falls on all alike; rates and ratios are medians over the rounds.
    const rounds = 8
    const perRound = publishes / rounds
    const floorLatencies: Array<number> = []
    const readingLatencies: Array<number> = []
    const libraryLatencies: Array<number> = []
    const perRoundRates: Array<{ readonly floor: number; readonly reading: number; readonly library: number }> = []
    const batch = async (round: number, latencies: Array<number>, one: (i: number) => unknown): Promise<number> => {
      const start = process.hrtime.bigint()
      for (let i = warmup + round * perRound; i < warmup + (round + 1) * perRound; i++) {
        const at = process.hrtime.bigint()
        await one(i)
        latencies.push(elapsedUs(at))
      }
      return perRound / (elapsedUs(start) / 1e6)
    }
    for (let round = 0; round < rounds; round++) {
      perRoundRates.push({
        floor: await batch(round, floorLatencies, writeFloor),
        reading: await batch(round, readingLatencies, (i) => readWriteFloor.immediate(i)),
        library: await batch(round, libraryLatencies, publishOne)
      })
    }
    const floorRate = median(perRoundRates.map((r) => r.floor))
    const readingRate = median(perRoundRates.map((r) => r.reading))
    const libraryRate = median(perRoundRates.map((r) => r.library))
    const ofFloor = median(perRoundRates.map((r) => r.library / r.floor))
    const ofReading = median(perRoundRates.map((r) => r.library / r.reading))

    // Reading the live configuration: the adapter against a prepared read of the same row.
    const live = raw.prepare(
      "select v.* from project_versions v join projects p on p.id = v.project_id and v.version = p.live_version where p.id = ?"
    )
    const readFloor: Array<number> = []
    const readLibrary: Array<number> = []
    const readRates: Array<[number, number]> = []
    const liveOf = await runtime.runPromise(Effect.map(VersionRepo.VersionRepo, (repo) => repo.live))
    for (let round = 0; round < 5; round++) {
      let start = process.hrtime.bigint()
      for (let i = 0; i < reads / 5; i++) {
        const one = process.hrtime.bigint()
        if (live.get(library[i % publishes]) === undefined) throw new Error("no live row")
        readFloor.push(elapsedUs(one))
      }
      const f = (reads / 5) / (elapsedUs(start) / 1e6)
      start = process.hrtime.bigint()
      for (let i = 0; i < reads / 5; i++) {
        const one = process.hrtime.bigint()
        runtime.runSync(liveOf(library[i % publishes] ?? Ids.ProjectId.make("prj_none")))
        readLibrary.push(elapsedUs(one))
      }
      readRates.push([f, (reads / 5) / (elapsedUs(start) / 1e6)])
    }
    raw.close()
    const readFloorRate = median(readRates.map(([f]) => f))
    const readLibraryRate = median(readRates.map(([, l]) => l))

    console.log(`Projects on a SQLite file: publishing a ${(bytes / 1024).toFixed(1)} KB configuration (${publishes} publishes each, ${warmup} more untimed first), reading it live (${reads.toLocaleString("en-US")} reads each):`)
    console.log(line("(p) floor: version + live pointer + audit rows, prepared", floorRate, floorLatencies))
    console.log(line("(q) Projects.publish, SQLite adapter", libraryRate, libraryLatencies))
    console.log(line("(p') floor with the publish's five reads, prepared", readingRate, readingLatencies))
    console.log(`    ratio (q)/(p), median of ${rounds} rounds: ${(ofFloor * 100).toFixed(1)} % (target >= 50 %); (q)/(p'): ${
      (ofReading * 100).toFixed(1)
    } %`)
    console.log(line("(r) floor: prepared read of the live version row", readFloorRate, readFloor))
    console.log(line("(s) VersionRepo.live, SQLite adapter (decoded)", readLibraryRate, readLibrary))
    console.log(`    ratio (s)/(r): ${(readLibraryRate / readFloorRate * 100).toFixed(1)} % (target >= 75 %)`)
  } finally {
    await runtime.dispose()
    rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run()
