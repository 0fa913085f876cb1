/**
 * Section (f): missing against out of scope, in time. The reference server is composed in this process as
 * `main.ts` composes it (`App.layer` on a SQLite file, seeded, tracing off), and for a few routes a request
 * for an id that does not exist, one for another id that does not exist (the control) and one for an id
 * outside the caller's scope are sent in turn, each timed alone, the order rotating; the three medians are
 * printed side by side. All answer the same 404 after the same storage calls (a test proves the calls),
 * so the out-of-scope median should differ from the missing one no more than the control does.
 */
import { Http } from "@aidial/adapters-http"
import { App, Config, DemoKeys, DevTokens } from "@aidial/server"
import { HttpApiBuilder, HttpServer } from "@effect/platform"
import { ConfigProvider, Effect, Exit, Layer, Scope } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { median } from "./Measure.js"

/** Each round times a missing id, another missing id (the control) and an out-of-scope id once each. */
const rounds = 500

interface Series {
  readonly label: string
  readonly token: string
  readonly missing: string
  readonly control: string
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
      { label: "partner admin, GET another org's client", token: acme, missing: "/v1/clients/cli_nope", control: "/v1/clients/cli_none", foreign: "/v1/clients/cli_globex_clinic" },
      {
        label: "partner admin, GET another org's project",
        token: acme,
        missing: "/v1/projects/prj_nope",
        control: "/v1/projects/prj_none",
        foreign: "/v1/projects/prj_globex_clinic_live"
      },
      {
        label: "platform admin, GET a project outside the selection",
        token: platform,
        missing: `/v1/projects/prj_nope?client_id=${DemoKeys.clientId}`,
        control: `/v1/projects/prj_none?client_id=${DemoKeys.clientId}`,
        foreign: `/v1/projects/prj_globex_hotel_live?client_id=${DemoKeys.clientId}`
      },
      {
        label: "partner admin, GET another client's key under its own",
        token: acme,
        missing: `${keys}/key_0000000000000000`,
        control: `${keys}/key_1111111111111111`,
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
    console.log(`(f) Missing against out of scope: ${rounds} rounds per route, each request timed alone (medians)`)
    console.log(
      `${"".padEnd(56)} ${"missing".padStart(10)} ${"control".padStart(10)} ${"out of scope".padStart(13)}` +
        ` ${"control - missing".padStart(18)} ${"out of scope - missing".padStart(23)}`
    )
    const us = (micros: number, width: number) => `${micros.toFixed(1)} us`.padStart(width)
    for (const s of series) {
      const paths = [s.missing, s.control, s.foreign] as const
      for (let i = 0; i < 50; i++) for (const path of paths) await timed(s, path)
      const missing: Array<number> = []
      const control: Array<number> = []
      const foreign: Array<number> = []
      const samples = [missing, control, foreign] as const
      for (let i = 0; i < rounds; i++) {
        // Rotate which goes first, so none always follows another.
        for (let j = 0; j < 3; j++) {
          const k = (i + j) % 3
          samples[k]?.push(await timed(s, paths[k] ?? s.missing))
        }
      }
      const m = median(missing)
      const c = median(control)
      const f = median(foreign)
      console.log(
        `${s.label.padEnd(56)} ${us(m, 10)} ${us(c, 10)} ${us(f, 13)} ${us(c - m, 18)} ${us(f - m, 23)}`
      )
    }
    await web.dispose()
  } finally {
    await Effect.runPromise(Scope.close(scope, Exit.void))
    rmSync(dir, { recursive: true, force: true })
  }
}
