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
  console.log("(d) HTTP: authenticated GET /v1/projects with an API key vs bare node:http, same JSON body")
  console.log(
    `    autocannon on 127.0.0.1, ${options.connections} connections, ${options.warmupSeconds} s warm-up each, ` +
      `then ${options.repeats} x ${options.durationSeconds} s alternating, medians; load average before: ${load()}`
  )
  const { bare, bodyBytes, library } = await Http.compare(options)
  console.log(Http.format(`    bare node:http (${bodyBytes} B body)`, bare))
  console.log(Http.format("    reference server, X-API-Key", library))
  console.log(
    `    ratio server/bare: ${(library.requestsPerSecond / bare.requestsPerSecond * 100).toFixed(1)} % (target >= 45 %)` +
      `; load average after: ${load()}`
  )
  if (bare.non2xx > 0 || library.non2xx > 0 || bare.errors > 0 || library.errors > 0 || library.ok === 0) {
    throw new Error("(d): some responses were not 2xx")
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run()
