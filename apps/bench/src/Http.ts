/**
 * Section (d): the reference server's authenticated `GET /v1/projects` (an API key) against a bare `node:http`
 * server returning the same bytes, and against the two framework ceilings of `PlatformServer` (the same bytes
 * from `@effect/platform-node`, without and with HttpApi routing); then the same server's bearer-token
 * `GET /v1/clients` and key creation (`POST /v1/clients/{clientId}/api-keys`, a bearer token, on its SQLite
 * file). All run as child processes on 127.0.0.1, loaded by autocannon from this process, one after the other
 * in each repeat.
 */
import { DemoKeys, DevTokens, prepareSqlite } from "@aidial/server"
import autocannon from "autocannon"
import { Effect, Redacted } from "effect"
import { type ChildProcess, spawn } from "node:child_process"
import { once } from "node:events"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { median } from "./Measure.js"

export interface Options {
  readonly connections: number
  readonly durationSeconds: number
  readonly warmupSeconds: number
  /** How many times each server is measured, alternating. */
  readonly repeats: number
  /** When set, the reference server runs under `node --cpu-prof` writing its profile here. */
  readonly cpuProfileDir: string | undefined
}

/** One server's figures: medians over its runs (latency percentiles of each run's every 2xx response). */
export interface Figures {
  readonly requestsPerSecond: number
  readonly p50Ms: number
  readonly p99Ms: number
  readonly ok: number
  readonly non2xx: number
  readonly errors: number
}

export interface Comparison {
  readonly bare: Figures
  /** `@effect/platform-node` serving one constant `HttpApp`: the platform's own cost. */
  readonly platform: Figures
  /** An HttpApi with one endpoint returning the same body: the cost of serving routes the way the server does. */
  readonly httpApi: Figures
  /** The same endpoint behind the reference server's plumbing (envelope, one providing middleware), no work. */
  readonly plumbed: Figures
  /** The lean reference (`Lean`): the same request's necessary work, written directly in the same framework. */
  readonly lean: Figures
  /** The lean reference's bearer-token `GET /v1/clients`. */
  readonly leanClients: Figures
  readonly library: Figures
  /** The reference server's `GET /v1/clients` with a partner admin's bearer token. */
  readonly clients: Figures
  /** The reference server creating API keys (`POST /v1/clients/{clientId}/api-keys`, bearer token) on its SQLite file. */
  readonly createKey: Figures
  readonly bodyBytes: number
}

/** One thing autocannon loads: a URL with its method, headers and body. */
interface Target {
  readonly url: string
  readonly method: "GET" | "POST"
  readonly headers: Record<string, string>
  readonly body?: string
}

const freePort = async (): Promise<number> => {
  const server = createServer()
  server.listen(0, "127.0.0.1")
  await once(server, "listening")
  const address = server.address()
  const port = address !== null && typeof address === "object" ? address.port : 0
  server.close()
  await once(server, "close")
  return port
}

/** A child process's output, kept (the last 8 KB) to show when it fails. */
const output = new WeakMap<ChildProcess, string>()

const start = (args: ReadonlyArray<string>, env: NodeJS.ProcessEnv): ChildProcess => {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] })
  const keep = (chunk: Buffer) => output.set(child, ((output.get(child) ?? "") + chunk.toString()).slice(-8192))
  child.stdout?.on("data", keep)
  child.stderr?.on("data", keep)
  return child
}

const stop = async (child: ChildProcess): Promise<void> => {
  if (child.exitCode !== null) return
  const exited = once(child, "exit")
  child.kill("SIGINT")
  await exited
}

/** Waits until `url` answers 200 with `headers`, and returns the body. */
const ready = async (url: string, headers: Record<string, string>, child: ChildProcess): Promise<string> => {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) throw new Error(`server at ${url} exited with ${child.exitCode}:\n${output.get(child) ?? ""}`)
    try {
      const response = await fetch(url, { headers })
      const text = await response.text()
      if (response.status === 200) return text
      throw new Error(`${url} answered ${response.status}: ${text}`)
    } catch (error) {
      if (error instanceof Error && error.message.includes("answered")) throw error
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  throw new Error(`server at ${url} did not start`)
}

/** One autocannon run, with the latency of every 2xx response as autocannon timed it (milliseconds, fractional). */
interface Run {
  readonly result: autocannon.Result
  readonly latencies: Float64Array
}

const load = (target: Target, connections: number, durationSeconds: number): Promise<Run> =>
  new Promise((resolve, reject) => {
    // autocannon's own percentiles are whole milliseconds, too coarse for responses under a millisecond.
    const latencies: Array<number> = []
    const instance = autocannon({ ...target, connections, duration: durationSeconds }, (error, result) =>
      error ? reject(error) : resolve({ result, latencies: Float64Array.from(latencies).sort() }))
    instance.on("response", (_client: unknown, status: number, _bytes: number, ms: number) => {
      if (status >= 200 && status < 300) latencies.push(ms)
    })
  })

const percentile = (sorted: Float64Array, p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0

const summarize = (runs: ReadonlyArray<Run>): Figures => ({
  requestsPerSecond: median(runs.map((r) => r.result["2xx"] / r.result.duration)),
  p50Ms: median(runs.map((r) => percentile(r.latencies, 0.5))),
  p99Ms: median(runs.map((r) => percentile(r.latencies, 0.99))),
  ok: runs.reduce((n, r) => n + r.result["2xx"], 0),
  non2xx: runs.reduce((n, r) => n + r.result.non2xx, 0),
  errors: runs.reduce((n, r) => n + r.result.errors, 0)
})

export const compare = async (options: Options): Promise<Comparison> => {
  const dir = mkdtempSync(join(tmpdir(), "aidial-bench-http-"))
  const pepper = "bench-pepper-for-the-http-comparison"
  const filename = join(dir, "server.db")
  const keys = await Effect.runPromise(prepareSqlite({ filename, pepper: Redacted.make(pepper) }))
  const key = keys.find((k) => k.environment === "live")
  if (key === undefined) throw new Error("the seed created no live demo key")
  const headers = { "x-api-key": Redacted.value(key.plaintext) }
  const devSecret = "bench-development-secret-for-the-http-comparison"
  const token = await Effect.runPromise(DevTokens.sign({
    key: new TextEncoder().encode(devSecret),
    issuer: "aidial-dev",
    audience: "aidial-api",
    subject: "demo-acme-admin",
    now: new Date()
  }))
  const bearer = { authorization: `Bearer ${token}` }

  const serverPort = await freePort()
  const serverMain = fileURLToPath(import.meta.resolve("@aidial/server").replace(/index\.js$/, "main.js"))
  const profile = options.cpuProfileDir === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfileDir}`]
  const server = start([...profile, serverMain], {
    PORT: String(serverPort),
    HOST: "127.0.0.1",
    AIDIAL_DATABASE_URL: `sqlite:${filename}`,
    AIDIAL_KEY_PEPPER: pepper,
    AIDIAL_DEV_JWT_SECRET: devSecret,
    AIDIAL_RATE_LIMIT: "999999999/60"
  })
  const bareFile = join(dir, "body.json")
  const others: Array<ChildProcess> = []
  try {
    const libraryUrl = `http://127.0.0.1:${serverPort}/v1/projects`
    const body = await ready(libraryUrl, headers, server)
    writeFileSync(bareFile, body)
    const floor = async (script: string, env: NodeJS.ProcessEnv): Promise<string> => {
      const port = await freePort()
      const child = start([fileURLToPath(new URL(script, import.meta.url))], { PORT: String(port), BARE_BODY_FILE: bareFile, ...env })
      others.push(child)
      const url = `http://127.0.0.1:${port}/v1/projects`
      if (await ready(url, headers, child) !== body) throw new Error(`${script} ${JSON.stringify(env)} answers another body`)
      return url
    }
    const get = (url: string, withHeaders: Record<string, string>): Target => ({ url, method: "GET", headers: withHeaders })
    const origin = `http://127.0.0.1:${serverPort}`
    const leanUrl = await floor("./PlatformServer.js", {
      BENCH_SERVER: "lean",
      LEAN_DATABASE_FILE: filename,
      LEAN_PEPPER: pepper,
      LEAN_JWT_SECRET: devSecret,
      LEAN_ISSUER: "aidial-dev",
      LEAN_AUDIENCE: "aidial-api"
    })
    const leanChild = others[others.length - 1]
    if (leanChild === undefined) throw new Error("the lean reference did not start")
    const leanClientsBody = await ready(leanUrl.replace("/v1/projects", "/v1/clients"), bearer, leanChild)
    if (leanClientsBody !== await ready(`${origin}/v1/clients`, bearer, server)) throw new Error("the lean reference answers other clients")
    const targets: ReadonlyArray<Target> = [
      get(await floor("./BareServer.js", {}), headers),
      get(await floor("./PlatformServer.js", { BENCH_SERVER: "platform" }), headers),
      get(await floor("./PlatformServer.js", { BENCH_SERVER: "httpapi" }), headers),
      get(await floor("./PlatformServer.js", { BENCH_SERVER: "plumbed" }), headers),
      get(leanUrl, headers),
      get(libraryUrl, headers),
      get(leanUrl.replace("/v1/projects", "/v1/clients"), bearer),
      get(`${origin}/v1/clients`, bearer),
      {
        url: `${origin}/v1/clients/${DemoKeys.clientId}/api-keys`,
        method: "POST",
        headers: { ...bearer, "content-type": "application/json" },
        body: JSON.stringify({ name: "Bench key", scope: "read", environment: "live", expires: 90 })
      }
    ]
    await ready(`${origin}/v1/clients`, bearer, server)
    for (const target of targets) await load(target, options.connections, options.warmupSeconds)
    const runs = targets.map((): Array<Run> => [])
    for (let i = 0; i < options.repeats; i++) {
      for (const [j, target] of targets.entries()) runs[j]?.push(await load(target, options.connections, options.durationSeconds))
    }
    const [bare, platform, httpApi, plumbed, lean, library, leanClients, clients, createKey] = runs.map(summarize)
    if (
      bare === undefined || platform === undefined || httpApi === undefined || plumbed === undefined || lean === undefined ||
      library === undefined || leanClients === undefined || clients === undefined || createKey === undefined
    ) throw new Error("no figures")
    return { bare, platform, httpApi, plumbed, lean, library, leanClients, clients, createKey, bodyBytes: Buffer.byteLength(body) }
  } finally {
    for (const child of others) await stop(child)
    await stop(server)
    rmSync(dir, { recursive: true, force: true })
  }
}

export const format = (label: string, f: Figures): string =>
  `${label.padEnd(50)} ${Math.round(f.requestsPerSecond).toLocaleString("en-US").padStart(9)} req/s` +
  `   p50 ${f.p50Ms.toFixed(2)} ms   p99 ${f.p99Ms.toFixed(2)} ms   2xx ${f.ok}   non-2xx ${f.non2xx}   errors ${f.errors}`
