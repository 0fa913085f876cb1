/**
 * Section (f): missing against out of scope, in time. The reference server is composed in this process as
 * `main.ts` composes it (`App.layer` on a SQLite file, seeded, tracing off), and for a few routes a request
 * for an id that does not exist and one for an id outside the caller's scope are sent alternately, each
 * timed alone; the two medians are printed side by side. Both answer the same 404 after the same storage
 * calls (a test proves the calls), so the medians should agree within the machine's noise.
 */
import { Http } from "@aidial/adapters-http"
import { App, Config, DemoKeys, DevTokens } from "@aidial/server"
import { HttpApiBuilder, HttpServer } from "@effect/platform"
import { ConfigProvider, Effect, Exit, Layer, Scope } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { median } from "./Measure.js"

const pairs = 500

interface Series {
  readonly label: string
  readonly token: string
  readonly missing: string
  readonly foreign: string
}

export const run = async (): Promise<void> => {
  const dir = mkdtempSync(join(tmpdir(), "aidial-bench-notfound-"))
  const scope = Effect.runSync(Scope.make())
  try {
    const provider = ConfigProvider.fromMap(new Map([
      ["AIDIAL_DATABASE_URL", `sqlite:${join(dir, "server.db")}`],
      ["AIDIAL_KEY_PEPPER", "bench-notfound-pepper"],
      ["AIDIAL_DEV_JWT_SECRET", "bench-notfound-development-secret-0123456789"],
      ["AIDIAL_RATE_LIMIT", "999999999/60"]
    ]))
    const config = await Effect.runPromise(Effect.withConfigProvider(Config.config, provider))
    const devKey = App.devKeyOf(config)
    if (devKey === null) throw new Error("the section runs with development tokens")
    const context = await Effect.runPromise(Scope.extend(Layer.build(App.layer(config, devKey)), scope))
    const web = HttpApiBuilder.toWebHandler(
      Http.untraced(Layer.mergeAll(Http.layer.pipe(Layer.provide(Layer.succeedContext(context))), HttpServer.layerContext))
    )
    const tokens = await Effect.runPromise(Effect.provide(
      DevTokens.forDemoUsers({ key: devKey, issuer: config.jwt.issuer, audience: config.audience, now: new Date() }),
      context
    ))
    const token = (subject: string) => {
      const found = tokens.find((t) => t.user.subject === subject)
      if (found === undefined) throw new Error(`no token for ${subject}`)
      return found.token
    }
    const acme = token("demo-acme-admin")
    const platform = token("demo-platform-admin")
    // A key of Acme's other client, to be addressed under Bright Smile Dental's path.
    const created = await web.handler(new Request("http://bench/v1/clients/cli_acme_plumbing/api-keys", {
      method: "POST",
      headers: { authorization: `Bearer ${acme}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "Bench key", scope: "read", environment: "live" })
    }))
    const body: unknown = await created.json()
    const key: unknown = typeof body === "object" && body !== null ? Reflect.get(body, "api_key") : null
    const otherKey: unknown = typeof key === "object" && key !== null ? Reflect.get(key, "key_id") : null
    if (typeof otherKey !== "string") throw new Error("no key created")
    const keys = `/v1/clients/${DemoKeys.clientId}/api-keys`
    const series: ReadonlyArray<Series> = [
      { label: "partner admin, GET another org's client", token: acme, missing: "/v1/clients/cli_nope", foreign: "/v1/clients/cli_globex_clinic" },
      {
        label: "partner admin, GET another org's project",
        token: acme,
        missing: "/v1/projects/prj_nope",
        foreign: "/v1/projects/prj_globex_clinic_live"
      },
      {
        label: "platform admin, GET a project outside the selection",
        token: platform,
        missing: `/v1/projects/prj_nope?client_id=${DemoKeys.clientId}`,
        foreign: `/v1/projects/prj_globex_hotel_live?client_id=${DemoKeys.clientId}`
      },
      {
        label: "partner admin, GET another client's key under its own",
        token: acme,
        missing: `${keys}/key_0000000000000000`,
        foreign: `${keys}/${otherKey}`
      }
    ]
    const timed = async (s: Series, path: string): Promise<number> => {
      const start = process.hrtime.bigint()
      const response = await web.handler(new Request(`http://bench${path}`, { headers: { authorization: `Bearer ${s.token}` } }))
      await response.arrayBuffer()
      const micros = Number(process.hrtime.bigint() - start) / 1000
      if (response.status !== 404) throw new Error(`${s.label}: ${path} answered ${response.status}, expected 404`)
      return micros
    }
    console.log(`(f) Missing against out of scope: ${pairs} alternating pairs per route, each request timed alone (medians)`)
    console.log(`${"".padEnd(56)} ${"missing".padStart(10)} ${"out of scope".padStart(13)} ${"difference".padStart(11)}`)
    for (const s of series) {
      for (let i = 0; i < 50; i++) {
        await timed(s, s.missing)
        await timed(s, s.foreign)
      }
      const missing: Array<number> = []
      const foreign: Array<number> = []
      for (let i = 0; i < pairs; i++) {
        // Alternate which goes first, so neither always follows the other.
        if (i % 2 === 0) {
          missing.push(await timed(s, s.missing))
          foreign.push(await timed(s, s.foreign))
        } else {
          foreign.push(await timed(s, s.foreign))
          missing.push(await timed(s, s.missing))
        }
      }
      const m = median(missing)
      const f = median(foreign)
      console.log(`${s.label.padEnd(56)} ${`${m.toFixed(1)} us`.padStart(10)} ${`${f.toFixed(1)} us`.padStart(13)} ${`${(f - m).toFixed(1)} us`.padStart(11)}`)
    }
    await web.dispose()
  } finally {
    await Effect.runPromise(Scope.close(scope, Exit.void))
    rmSync(dir, { recursive: true, force: true })
  }
}
