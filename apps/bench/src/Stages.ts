/**
 * Section (e): where one authenticated request's time goes. The reference server is composed in this process
 * exactly as `main.ts` composes it (`App.layer` on a SQLite file, seeded the same way), and each stage of its
 * request path is timed alone, many times over, with the inputs the request gives it; the whole request is
 * timed through `Http.toWebHandler`, and the framework alone as the one-endpoint HttpApi of `Ceiling` through
 * `HttpApiBuilder.toWebHandler`. No instrument is added to the server: the stages are its own functions,
 * taken from its layer.
 */
import {
  Admission,
  Authentication,
  Http,
  ProjectsApi,
  ProjectsHttp,
  RateLimitPolicy,
  RequestContext,
  TenancyApi,
  TenancyHttp
} from "@aidial/adapters-http"
import { InProcessRateLimiter } from "@aidial/adapters-node"
import {
  ActivityRecorder,
  ApiKey,
  ApiKeyRepo,
  ApiKeys,
  Audit,
  ClientRepo,
  Directory,
  IdGenerator,
  Ids,
  PrincipalRepo,
  Principals,
  ProjectRepo,
  Projects,
  RateLimiter,
  Secrets,
  Transactor,
  UserRepo
} from "@aidial/domain"
import { App, Config, DemoKeys, DevTokens } from "@aidial/server"
import { HttpApiBuilder, HttpApp, HttpServer, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { ConfigProvider, Context, Effect, Exit, FiberRef, Layer, Option, Redacted, Schema, Scope } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Ceiling from "./Ceiling.js"
import * as Lean from "./Lean.js"
import { median } from "./Measure.js"

/** One thing timed: `count` calls back to back. */
interface Subject {
  readonly label: string
  /** Calls per round: enough for a round to last tens of milliseconds. */
  readonly count: number
  readonly round: (count: number) => Promise<void>
}

/** Figures of one subject: median microseconds per call over the rounds. */
export interface Timed {
  readonly label: string
  readonly micros: number
}

const rounds = 15

/** Rounds interleaved over the subjects (a, b, c, a, b, c, ...), so the machine's noise falls on each alike. */
const timeAll = async (subjects: ReadonlyArray<Subject>): Promise<Array<Timed>> => {
  for (const s of subjects) await s.round(Math.ceil(s.count / 4))
  const samples = subjects.map((): Array<number> => [])
  for (let r = 0; r < rounds; r++) {
    for (const [k, s] of subjects.entries()) {
      const start = process.hrtime.bigint()
      await s.round(s.count)
      samples[k]?.push(Number(process.hrtime.bigint() - start) / 1000 / s.count)
    }
  }
  return subjects.map((s, k) => ({ label: s.label, micros: median(samples[k] ?? []) }))
}

/** An effect run `count` times in one fiber, as a request handler's steps run, over the server's services. */
const effectSubject = <R>(context: Context.Context<R>) =>
<A, E>(label: string, count: number, effect: () => Effect.Effect<A, E, R>): Subject => {
  const once = Effect.suspend(effect)
  return {
    label,
    count,
    // As the reference server runs them: tracing off.
    round: (n) =>
      Effect.runPromise(Effect.asVoid(Effect.provide(
        Effect.locally(Effect.repeatN(once, n - 1), FiberRef.currentTracerEnabled, false),
        context
      )))
  }
}

/** A fetch-style handler called `count` times one after the other, each response read to its end. */
const requestSubject = (
  label: string,
  count: number,
  handler: (request: Request) => Promise<Response>,
  request: () => Request,
  expected: number
): Subject => ({
  label,
  count,
  round: async (n) => {
    for (let i = 0; i < n; i++) {
      const response = await handler(request())
      await response.arrayBuffer()
      if (response.status !== expected) throw new Error(`${label}: answered ${response.status}, expected ${expected}`)
    }
  }
})

/** What the reference server's layer provides. */
type Provided = Layer.Layer.Success<ReturnType<typeof App.layer>>

const devSecret = "bench-stages-development-secret-0123456789"
const pepper = "bench-stages-pepper"

/** The figures of section (e), in microseconds per call. */
export interface Table {
  /** Whole requests through the web handler. */
  readonly ceiling: number
  /** The ceiling's endpoint behind the server's plumbing (envelope, one providing middleware), no work. */
  readonly plumbed: number
  /** The lean reference (`Lean`): the same request's necessary work written directly, in the same framework. */
  readonly lean: number
  /** The lean reference's bearer-token `GET /v1/clients`. */
  readonly leanClients: number
  readonly projects: number
  /** The same request with tracing on (Effect's own tracer, nothing exported). */
  readonly traced: number
  readonly clients: number
  readonly createKey: number
  readonly stages: ReadonlyArray<Timed>
  readonly bearerStages: ReadonlyArray<Timed>
  readonly createStages: ReadonlyArray<Timed>
}

export const measure = async (): Promise<Table> => {
  const dir = mkdtempSync(join(tmpdir(), "aidial-bench-stages-"))
  const scope = Effect.runSync(Scope.make())
  try {
    const provider = ConfigProvider.fromMap(new Map([
      ["AIDIAL_DATABASE_URL", `sqlite:${join(dir, "server.db")}`],
      ["AIDIAL_KEY_PEPPER", pepper],
      ["AIDIAL_DEV_JWT_SECRET", devSecret],
      ["AIDIAL_RATE_LIMIT", "999999999/60"]
    ]))
    const config = await Effect.runPromise(Effect.withConfigProvider(Config.config, provider))
    const devKey = App.devKeyOf(config)
    if (devKey === null) throw new Error("the stages run with development tokens")
    const context = await Effect.runPromise(Scope.extend(Layer.build(App.layer(config, devKey)), scope))
    const inServer = <A, E>(effect: Effect.Effect<A, E, Provided>) =>
      Effect.runPromise(Effect.provide(effect, context))
    const demoKey = Context.get(context, DemoKeys.DemoKeys).find((k) => k.environment === "live")
    if (demoKey === undefined) throw new Error("the seed created no live demo key")
    const plaintext = Redacted.value(demoKey.plaintext)
    const tokens = await Effect.runPromise(Effect.provide(
      DevTokens.forDemoUsers({ key: devKey, issuer: config.jwt.issuer, audience: config.audience, now: new Date() }),
      context
    ))
    const admin = tokens.find((t) => t.user.subject === "demo-acme-admin")
    if (admin === undefined) throw new Error("no token for the Acme admin")

    const api = Layer.mergeAll(Http.layer.pipe(Layer.provide(Layer.succeedContext(context))), HttpServer.layerContext)
    // As `main.ts` serves it (tracing off), and as an embedder who wants traces serves it (spans to Effect's tracer).
    const web = HttpApiBuilder.toWebHandler(Http.untraced(api))
    const traced = HttpApiBuilder.toWebHandler(api)
    const ceilingBody: unknown = JSON.parse(
      await (await web.handler(new Request("http://bench/v1/projects", { headers: { "x-api-key": plaintext } }))).text()
    )
    const ceiling = HttpApiBuilder.toWebHandler(Http.untraced(Layer.mergeAll(Ceiling.layer(ceilingBody), HttpServer.layerContext)))
    const plumbed = HttpApiBuilder.toWebHandler(Http.untraced(Layer.mergeAll(Ceiling.layerPlumbed(ceilingBody), HttpServer.layerContext)))
    const lean = HttpApiBuilder.toWebHandler(Http.untraced(Layer.mergeAll(
      Lean.layer({
        filename: join(dir, "server.db"),
        pepper,
        jwtSecret: devSecret,
        issuer: config.jwt.issuer,
        audience: config.audience,
        requests: 999_999_999,
        windowSeconds: 60
      }),
      HttpServer.layerContext
    )))
    const keysUrl = `http://bench/v1/clients/${DemoKeys.clientId}/api-keys`
    const createBody = JSON.stringify({ name: "Bench key", scope: "read", environment: "live", expires: 90 })

    // The stages' inputs, as the request gives them.
    const { admission, authenticator, clients, fromMember, ids, keys, members, projects, secrets, users, verifier } = await inServer(
      Effect.all({
        ids: IdGenerator.IdGenerator,
        secrets: Secrets.Secrets,
        keys: ApiKeyRepo.ApiKeyRepo,
        authenticator: Authentication.ApiKeyAuthenticator,
        admission: Admission.Admission,
        projects: ProjectRepo.ProjectRepo,
        clients: ClientRepo.ClientRepo,
        verifier: Authentication.TokenVerifier,
        users: UserRepo.UserRepo,
        members: PrincipalRepo.PrincipalRepo,
        fromMember: Principals.makeFromMember
      })
    )
    const timed = effectSubject(context)
    // The server's limiter is internal to its layer: the same adapter, built alone, takes the same way.
    const limiter = await Effect.runPromise(Effect.provide(RateLimiter.RateLimiter, InProcessRateLimiter.layer))
    const parsed = ApiKey.parse(plaintext)
    if (parsed._tag === "Left") throw new Error("the demo key does not parse")
    const row = Option.getOrThrow(await Effect.runPromise(keys.findForVerification(parsed.right.id)))
    const principal = await Effect.runPromise(authenticator.authenticate(Redacted.make(plaintext)))
    const page = { after: null, limit: 50 }
    const scopeOf = Projects.projectScope(principal)
    if (scopeOf === null) throw new Error("an API key sees projects")
    const listed = await inServer(Projects.listProjects(principal, {}, page))
    const body = { projects: listed.items.map(ProjectsHttp.project), next_cursor: null }
    const limit = RateLimitPolicy.limitFor(config.rateLimit, principal._tag === "ApiKey" ? principal.keyId : "").limit
    const webRequest = HttpServerRequest.fromWeb(new Request("http://bench/v1/projects"))
    const plain = HttpServerResponse.text("{}")
    const withHooks = <A, E>(effect: Effect.Effect<A, E>) =>
      Effect.locally(
        Effect.zipRight(
          effect,
          Effect.flatMap(FiberRef.get(HttpApp.currentPreResponseHandlers), (hooks) =>
            Option.isSome(hooks) ? hooks.value(webRequest, plain) : Effect.succeed(plain))
        ),
        HttpApp.currentPreResponseHandlers,
        Option.none()
      )
    const envelope = RequestContext.envelope(ids)(Effect.succeed(plain))
    const encodeList = Schema.encode(ProjectsApi.ProjectList)
    const token = Redacted.make(admin.token)
    const user = Option.getOrThrow(await Effect.runPromise(users.findBySubject(admin.user.subject)))
    const activity = await inServer(ActivityRecorder.ActivityRecorder)
    const member = Option.getOrThrow(await Effect.runPromise(members.findBySubject(admin.user.subject)))
    const bearer = await Effect.runPromise(fromMember(member, null))
    const clientScope = Directory.clientScope(bearer)
    if (clientScope === null) throw new Error("the Acme admin sees clients")
    const clientList = await inServer(Directory.listClients(bearer, page))
    const clientBody = { clients: clientList.items.map(TenancyHttp.client), next_cursor: null }
    const encodeClients = Schema.encode(TenancyApi.ClientList)

    const cheap = 4_000
    const [baseline, ...stages] = await timeAll([
      timed("(nothing: the loop's own cost, subtracted below)", cheap, () => Effect.void),
      timed("request id", cheap, () => ids.make("request")),
      timed("request envelope and problem handling (less the id)", cheap, () => envelope),
      timed("authentication and principal, whole", cheap, () => authenticator.authenticate(Redacted.make(plaintext))),
      timed("  authentication: key parse and checksum", cheap, () => Effect.sync(() => ApiKey.parse(plaintext))),
      timed("  authentication: HMAC-SHA-256 and compare", cheap, () => secrets.matches(plaintext, row.digest)),
      timed("  authentication: verification read", cheap, () => keys.findForVerification(parsed.right.id)),
      timed("admission: take, headers hook and usage record", cheap, () => withHooks(admission.admit(principal))),
      timed("  rate-limit take", cheap, () => limiter.take(principal._tag === "ApiKey" ? principal.keyId : "", limit)),
      timed("use case Projects.listProjects (spans, reads)", cheap / 8, () => Projects.listProjects(principal, {}, page)),
      timed(
        "  storage read: projects page",
        cheap / 8,
        () => projects.list(scopeOf, page)
      ),
      timed("response encoding: Schema.encode(ProjectList)", cheap, () => encodeList(body)),
      timed("response body: JSON.stringify", cheap, () => Effect.sync(() => JSON.stringify(body)))
    ])
    const [bearerBaseline, ...bearerStages] = await timeAll([
      timed("(nothing)", cheap, () => Effect.void),
      timed("bearer token verification (remembered token)", cheap, () => verifier.verify(token)),
      timed("member read by subject: user, membership, organisation", cheap, () => members.findBySubject(admin.user.subject)),
      timed("activity record", cheap, () => activity.record(user.id)),
      timed("principal from the member (Principals.makeFromMember)", cheap, () => fromMember(member, null)),
      timed("use case Directory.listClients (spans, reads)", cheap / 8, () => Directory.listClients(bearer, page)),
      timed("  storage read: clients page", cheap / 8, () => clients.list(clientScope, page)),
      timed("response encoding: Schema.encode(ClientList)", cheap, () => encodeClients(clientBody))
    ])
    const request = Audit.CurrentRequest.of({ requestId: "req_bench" })
    const createRequestBody = new ApiKeys.CreateRequest({
      clientId: DemoKeys.clientId,
      name: "Bench key",
      description: "",
      scope: "read",
      environment: "live",
      expiry: { _tag: "InDays", days: 90 }
    })
    const tx = await inServer(Transactor.Transactor)
    const fields = {
      id: demoKey.id,
      clientId: DemoKeys.clientId,
      name: "Bench key",
      description: "",
      scope: "read" as const,
      environment: "live" as const,
      prefix: parsed.right.prefix,
      status: "active" as const,
      createdBy: { kind: "user" as const, id: user.id },
      rotatedFrom: null,
      rotatedTo: null,
      revokeReason: null
    }
    const [createBaseline, ...createStages] = await timeAll([
      timed("(nothing)", cheap, () => Effect.void),
      timed(
        "use case ApiKeys.create (read, mint, transaction, audit)",
        cheap / 40,
        () => Effect.provideService(ApiKeys.create(bearer, createRequestBody), Audit.CurrentRequest, request)
      ),
      timed("  client read: Directory.loadClient", cheap / 8, () => Directory.loadClient(bearer, "apikey.create", DemoKeys.clientId)),
      timed("  mint: 40 random bytes and the digest", cheap, () => Effect.zipRight(secrets.randomBytes(40), secrets.digest(plaintext))),
      timed("  key record: ApiKey.make (validated)", cheap, () =>
        Effect.sync(() => ApiKey.make({ ...fields, createdAt: new Date(), expiresAt: null, disabledAt: null }))),
      timed("  the key's write transaction: insert and commit", cheap / 40, () =>
        Effect.flatMap(ids.make("apiKey"), (id) =>
          tx.withTransaction(keys.insert({
            key: ApiKey.make({ ...fields, id: Ids.ApiKeyId.make(id), createdAt: new Date(), expiresAt: null, disabledAt: null }),
            digest: row.digest
          }))))
    ])
    const [ceilingRequest, plumbedRequest, leanRequest, projectsRequest, tracedRequest, leanClientsRequest, clientsRequest, createRequest] = await timeAll([
      requestSubject("HttpApi ceiling", 400, ceiling.handler, () => new Request("http://bench/v1/projects"), 200),
      requestSubject("plumbed ceiling", 400, plumbed.handler, () => new Request("http://bench/v1/projects"), 200),
      requestSubject(
        "lean reference",
        200,
        lean.handler,
        () => new Request("http://bench/v1/projects", { headers: { "x-api-key": plaintext } }),
        200
      ),
      requestSubject(
        "GET /v1/projects, X-API-Key",
        200,
        web.handler,
        () => new Request("http://bench/v1/projects", { headers: { "x-api-key": plaintext } }),
        200
      ),
      requestSubject(
        "GET /v1/projects, X-API-Key, traced",
        200,
        traced.handler,
        () => new Request("http://bench/v1/projects", { headers: { "x-api-key": plaintext } }),
        200
      ),
      requestSubject(
        "lean reference: GET /v1/clients, bearer",
        200,
        lean.handler,
        () => new Request("http://bench/v1/clients", { headers: { authorization: `Bearer ${admin.token}` } }),
        200
      ),
      requestSubject(
        "GET /v1/clients, bearer",
        200,
        web.handler,
        () => new Request("http://bench/v1/clients", { headers: { authorization: `Bearer ${admin.token}` } }),
        200
      ),
      requestSubject(
        "POST api-keys, bearer",
        50,
        web.handler,
        () =>
          new Request(keysUrl, {
            method: "POST",
            headers: { authorization: `Bearer ${admin.token}`, "content-type": "application/json" },
            body: createBody
          }),
        201
      )
    ])
    // The web handlers are not disposed: after this many requests, closing their scopes took about a minute
    // (measured), and the process ends after the bench.
    const less = (base: Timed | undefined) => (t: Timed): Timed => ({ label: t.label, micros: t.micros - (base?.micros ?? 0) })
    return {
      ceiling: ceilingRequest?.micros ?? 0,
      plumbed: plumbedRequest?.micros ?? 0,
      lean: leanRequest?.micros ?? 0,
      leanClients: leanClientsRequest?.micros ?? 0,
      projects: projectsRequest?.micros ?? 0,
      traced: tracedRequest?.micros ?? 0,
      clients: clientsRequest?.micros ?? 0,
      createKey: createRequest?.micros ?? 0,
      stages: stages.map(less(baseline)),
      bearerStages: bearerStages.map(less(bearerBaseline)),
      createStages: createStages.map(less(createBaseline))
    }
  } finally {
    await Effect.runPromise(Scope.close(scope, Exit.void))
    rmSync(dir, { recursive: true, force: true })
  }
}

/** What the stages timed alone leave unexplained of `total` (parts, labelled with a leading space, are inside their whole). */
const remainder = (total: number, stages: ReadonlyArray<Timed>): number =>
  stages.reduce((left, s) => (s.label.startsWith(" ") || s.label.startsWith("(") ? left : left - s.micros), total)

const line = (label: string, micros: number, of: number) =>
  `    ${label.padEnd(58)} ${micros.toFixed(1).padStart(8)} us ${(micros / of * 100).toFixed(1).padStart(6)} %`

export const run = async (): Promise<void> => {
  console.log("(e) Where a request's time goes: the reference server in this process (App.layer on a SQLite file),")
  console.log(`    each stage alone with the request's inputs, ${rounds} rounds interleaved, medians in microseconds per call;`)
  console.log("    whole requests through the web handler (no socket); the framework is the one-endpoint HttpApi ceiling")
  const t = await measure()
  const own = t.projects - t.ceiling
  console.log(line("whole request: GET /v1/projects, X-API-Key", t.projects, t.projects))
  console.log(line("  the framework: HttpApi ceiling, one constant endpoint", t.ceiling, t.projects))
  console.log(line("  this project's own work (whole less ceiling)", own, t.projects))
  console.log(line("    of which the plumbing alone, no work (plumbed less ceiling)", t.plumbed - t.ceiling, t.projects))
  console.log(line("  the lean reference: the same work written directly", t.lean, t.projects))
  for (const s of t.stages) console.log(line(`    ${s.label}`, s.micros, t.projects))
  console.log(line("    the rest: routing, parameter decoding, handler glue", remainder(own - (t.plumbed - t.ceiling), t.stages), t.projects))
  console.log(line("the same request with tracing on (spans, no exporter)", t.traced, t.traced))
  console.log(line("whole request: GET /v1/clients, bearer token", t.clients, t.clients))
  console.log(line("  this project's own work (whole less ceiling)", t.clients - t.ceiling, t.clients))
  console.log(line("  the lean reference: the same work written directly", t.leanClients, t.clients))
  for (const s of t.bearerStages) console.log(line(`    ${s.label}`, s.micros, t.clients))
  console.log(line("    the rest: plumbing, routing, admission, handler glue", remainder(t.clients - t.ceiling, t.bearerStages), t.clients))
  console.log(line("whole request: POST /v1/clients/{id}/api-keys, bearer", t.createKey, t.createKey))
  for (const s of t.createStages) console.log(line(`    ${s.label}`, s.micros, t.createKey))
  console.log(
    `    in process: ceiling ${Math.round(1e6 / t.ceiling).toLocaleString("en-US")}/s, lean reference ${
      Math.round(1e6 / t.lean).toLocaleString("en-US")
    }/s (${(t.ceiling / t.lean * 100).toFixed(1)} % of the ceiling), projects ${
      Math.round(1e6 / t.projects).toLocaleString("en-US")
    }/s (${(t.ceiling / t.projects * 100).toFixed(1)} % of the ceiling, ${(t.lean / t.projects * 100).toFixed(1)} % of the lean reference), clients ${
      Math.round(1e6 / t.clients).toLocaleString("en-US")
    }/s (${(t.ceiling / t.clients * 100).toFixed(1)} %; lean reference ${(t.ceiling / t.leanClients * 100).toFixed(1)} %, the server ${
      (t.leanClients / t.clients * 100).toFixed(1)
    } % of it), key creation ${Math.round(1e6 / t.createKey).toLocaleString("en-US")}/s`
  )
}

if (import.meta.url === `file://${process.argv[1]}`) await run()
