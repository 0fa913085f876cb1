/**
 * The reference server as `main.ts` composes it, listening on a free port of 127.0.0.1 over a SQLite file,
 * for tests that need a real socket (streamed bodies, memory, parser limits).
 */
import { Http } from "@aidial/adapters-http"
import { type Audit, AuditLog } from "@aidial/domain"
import { HttpServer } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { ConfigProvider, Context, Effect, Exit, Layer, Scope } from "effect"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as App from "../../src/App.js"
import * as Config from "../../src/Config.js"
import * as DemoKeys from "../../src/DemoKeys.js"
import * as DevTokens from "../../src/DevTokens.js"
import * as NodeListener from "../../src/NodeListener.js"

/**
 * Starts the server with extra environment variables on a SQLite file in a fresh temporary folder
 * (`aidial-<name>-…`); `stop` closes it and removes the folder.
 */
export const start = async (name: string, environment: Record<string, string> = {}) => {
  const dir = mkdtempSync(join(tmpdir(), `aidial-${name}-`))
  const filename = join(dir, `${name}.sqlite`)
  const provider = ConfigProvider.fromMap(new Map(Object.entries({
    AIDIAL_DATABASE_URL: `sqlite:${filename}`,
    AIDIAL_KEY_PEPPER: "node-server-test-pepper",
    AIDIAL_DEV_JWT_SECRET: "node-server-test-secret-0123456789abcdef",
    AIDIAL_USAGE_FLUSH_MS: "60000",
    ...environment
  })))
  const config = await Effect.runPromise(Effect.withConfigProvider(Config.config, provider))
  const devKey = App.devKeyOf(config)
  if (devKey === null) throw new Error("the test configures development tokens")
  const layer = Http.serve().pipe(
    Layer.provide(Http.layer),
    Layer.provideMerge(App.layerListening(config, devKey)),
    Layer.provideMerge(NodeHttpServer.layer(NodeListener.make, { port: 0, host: "127.0.0.1" }))
  )
  const scope = Effect.runSync(Scope.make())
  const context = await Effect.runPromise(Scope.extend(Layer.build(layer), scope))
  const address = Context.get(context, HttpServer.HttpServer).address
  if (address._tag !== "TcpAddress") throw new Error("expected a TCP address")
  const tokens = await Effect.runPromise(Effect.provide(
    DevTokens.forDemoUsers({ key: devKey, issuer: config.jwt.issuer, audience: config.audience, now: new Date() }),
    context
  ))
  const bearer = (subject: string): Record<string, string> => {
    const found = tokens.find((t) => t.user.subject === subject)
    if (found === undefined) throw new Error(`no token for ${subject}`)
    return { authorization: `Bearer ${found.token}` }
  }
  /** Every audit event stored, oldest first (to prove a refused request wrote nothing). */
  const auditEvents = () =>
    Effect.runPromise(Effect.provide(
      Effect.flatMap(AuditLog.AuditLog, (log) =>
        Effect.iterate({ events: new Array<Audit.AuditEvent>(), after: "", done: false }, {
          while: (state) => !state.done,
          body: (state) =>
            Effect.map(log.query({}, { after: state.after === "" ? null : state.after, limit: 200 }), (page) => ({
              events: [...state.events, ...page.items],
              after: page.next ?? "",
              done: page.next === null
            }))
        })),
      context
    )).then((state) => state.events)
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    devKey,
    config,
    context,
    demoKeys: Context.get(context, DemoKeys.DemoKeys),
    bearer,
    auditEvents,
    stop: async () => {
      await Effect.runPromise(Scope.close(scope, Exit.void))
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

/** A running server, as `start` answers. */
export type Server = Awaited<ReturnType<typeof start>>
