/**
 * Section (d) of `pnpm bench`, also runnable alone: `node apps/bench/dist/HttpSection.js`.
 * `BENCH_HTTP_CPU_PROFILE=<dir>` runs the reference server under `node --cpu-prof` writing its profile there.
 */
import { loadavg } from "node:os"
import * as Http from "./Http.js"
import * as WriteFloor from "./WriteFloor.js"

// Three alternating repeats, so each figure is a true median: one run disturbed by the shared machine moves it less.
const options: Http.Options = {
  connections: 10,
  durationSeconds: 5,
  warmupSeconds: 2,
  repeats: 3,
  cpuProfileDir: process.env["BENCH_HTTP_CPU_PROFILE"]
}

const load = () => loadavg().map((n) => n.toFixed(2)).join(" ")

export const run = async (): Promise<void> => {
  console.log("(d) HTTP: the reference server against bare node:http and the framework alone, same JSON body")
  console.log(
    `    autocannon on 127.0.0.1, ${options.connections} connections, ${options.warmupSeconds} s warm-up each, ` +
      `then ${options.repeats} x ${options.durationSeconds} s alternating, medians; load average before: ${load()}`
  )
  const { bare, bodyBytes, clients, createKey, httpApi, lean, leanClients, library, platform, plumbed } = await Http.compare(options)
  const ofBare = (f: Http.Figures) => `${(f.requestsPerSecond / bare.requestsPerSecond * 100).toFixed(1)} % of bare`
  const ofCeiling = (f: Http.Figures) => `${(f.requestsPerSecond / httpApi.requestsPerSecond * 100).toFixed(1)} % of the HttpApi ceiling`
  const percentOf = (f: Http.Figures, reference: Http.Figures) => (f.requestsPerSecond / reference.requestsPerSecond * 100).toFixed(1)
  console.log(Http.format(`    bare node:http (${bodyBytes} B body)`, bare))
  console.log(Http.format("    platform-node, one constant HttpApp", platform) + `   ${ofBare(platform)}`)
  console.log(Http.format("    HttpApi, one endpoint, constant body", httpApi) + `   ${ofBare(httpApi)}`)
  console.log(Http.format("    the same behind the server's plumbing, no work", plumbed) + `   ${ofCeiling(plumbed)}`)
  console.log(Http.format("    lean reference: the same work written directly", lean) + `   ${ofCeiling(lean)}`)
  console.log(
    Http.format("    server: X-API-Key, GET /v1/projects", library) +
      `   ${ofCeiling(library)}, ${percentOf(library, lean)} % of the lean reference`
  )
  console.log(Http.format("    lean reference: bearer, GET /v1/clients", leanClients) + `   ${ofCeiling(leanClients)}`)
  console.log(
    Http.format("    server: bearer, GET /v1/clients", clients) +
      `   ${ofCeiling(clients)}, ${percentOf(clients, leanClients)} % of the lean reference`
  )
  console.log(Http.format("    server: bearer, POST .../api-keys (SQLite file)", createKey) + `   keys created per second`)
  const spread = (f: Http.Figures) => (f.p50Ms > 0 ? (f.p99Ms / f.p50Ms).toFixed(1) : "-")
  console.log(
    `    GET /v1/projects: ${ofCeiling(library)} (target >= 60 %; the lean reference reaches ${percentOf(lean, httpApi)} %, ` +
      `and the server answers ${percentOf(library, lean)} % of its rate: supported target >= 85 %), ` +
      `p99/p50 ${spread(library)} (target < 3; bare node:http ${spread(bare)}, the ceiling ${spread(httpApi)}); ` +
      `GET /v1/clients: ${ofCeiling(clients)} (target >= 50 %); ` +
      `key creation ${Math.round(createKey.requestsPerSecond).toLocaleString("en-US")}/s, p99 ${createKey.p99Ms.toFixed(1)} ms ` +
      `(target >= 1,000/s); load average after: ${load()}`
  )
  const writes = WriteFloor.measure()
  const perSecond = (n: number) => Math.round(n).toLocaleString("en-US")
  console.log(
    `    the floor under key creation, one SQLite write transaction on a file: ${perSecond(writes.full)}/s with ` +
      `synchronous=FULL (the library's setting), ${perSecond(writes.normal)}/s with NORMAL`
  )
  for (const f of [bare, platform, httpApi, plumbed, lean, library, leanClients, clients, createKey]) {
    if (f.non2xx > 0 || f.errors > 0 || f.ok === 0) throw new Error("(d): some responses were not 2xx")
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run()
