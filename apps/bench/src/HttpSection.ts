/**
 * Section (d) of `pnpm bench`, also runnable alone: `node apps/bench/dist/HttpSection.js`.
 * `BENCH_HTTP_CPU_PROFILE=<dir>` runs the reference server under `node --cpu-prof` writing its profile there.
 */
import { loadavg } from "node:os"
import * as Http from "./Http.js"

const options: Http.Options = {
  connections: 10,
  durationSeconds: 6,
  warmupSeconds: 2,
  repeats: 2,
  cpuProfileDir: process.env["BENCH_HTTP_CPU_PROFILE"]
}

const load = () => loadavg().map((n) => n.toFixed(2)).join(" ")

export const run = async (): Promise<void> => {
  console.log("(d) HTTP: authenticated GET /v1/projects with an API key vs bare node:http and the framework alone, same JSON body")
  console.log(
    `    autocannon on 127.0.0.1, ${options.connections} connections, ${options.warmupSeconds} s warm-up each, ` +
      `then ${options.repeats} x ${options.durationSeconds} s alternating, medians; load average before: ${load()}`
  )
  const { bare, bodyBytes, httpApi, library, platform } = await Http.compare(options)
  const ofBare = (f: Http.Figures) => `${(f.requestsPerSecond / bare.requestsPerSecond * 100).toFixed(1)} % of bare`
  console.log(Http.format(`    bare node:http (${bodyBytes} B body)`, bare))
  console.log(Http.format("    platform-node, one constant HttpApp", platform) + `   ${ofBare(platform)}`)
  console.log(Http.format("    HttpApi, one endpoint, constant body", httpApi) + `   ${ofBare(httpApi)}`)
  console.log(Http.format("    reference server, X-API-Key", library) + `   ${ofBare(library)}`)
  console.log(
    `    ratio server/bare: ${(library.requestsPerSecond / bare.requestsPerSecond * 100).toFixed(1)} % (target >= 45 %)` +
      `; server/HttpApi ceiling: ${(library.requestsPerSecond / httpApi.requestsPerSecond * 100).toFixed(1)} %` +
      `; load average after: ${load()}`
  )
  for (const f of [bare, platform, httpApi, library]) {
    if (f.non2xx > 0 || f.errors > 0 || f.ok === 0) throw new Error("(d): some responses were not 2xx")
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run()
