/**
 * The HTTP tests' world on a test clock (tests move time): the memory storage of `World`, sequential ids,
 * API keys, and bearer tokens signed with a local HS256 secret, verified by the API's own `layerJose`.
 */
import { Authentication, Http, type RateLimitPolicy } from "@aidial/adapters-http"
import { SequentialIds, TestClock } from "@aidial/testkit"
import { type Context, Effect, Exit, Layer, Logger, Scope } from "effect"
import * as Jose from "jose"
import * as ApiKeyStack from "./ApiKeyStack.js"
import * as World from "./World.js"

/** The instant the test clock starts at. */
export const start = new Date("2026-01-01T00:00:00.000Z")
const startSeconds = Math.floor(start.getTime() / 1000)

/** What the token verifier trusts, for tests that forge the tokens it must refuse. */
export const verifier = {
  secret: new TextEncoder().encode("test-secret-test-secret-test-secret-0123"),
  issuer: "https://id.test.aidial",
  audience: "aidial-api"
} as const

/** What a test may vary in the world; each is the API's own default when absent. */
export interface Options {
  /** The rate-limit policy requests are admitted by. */
  readonly policy?: RateLimitPolicy.Policy
  /** The longest bearer-token lifetime the verifier accepts, in seconds. */
  readonly maxTokenLifetimeSeconds?: number
  /** Where the API's log lines go. */
  readonly logger?: Logger.Logger<unknown, unknown>
  /** The services the handler serves from, given those built (to wrap a port, say). */
  readonly serve?: (built: Context.Context<Services>) => Context.Context<Services>
}

/** Everything the API needs, over the world's storage and the test clock. */
export const world = (options: Options = {}) => {
  const base = Layer.mergeAll(World.layer, SequentialIds.layer, TestClock.layer(start))
  const jwt = Authentication.layerJose({
    issuer: verifier.issuer,
    audience: verifier.audience,
    algorithms: ["HS256"],
    keys: { _tag: "Local", key: verifier.secret },
    ...(options.maxTokenLifetimeSeconds === undefined ? {} : { maxLifetimeSeconds: options.maxTokenLifetimeSeconds })
  })
  return Layer.mergeAll(jwt, ApiKeyStack.layer(options.policy)).pipe(Layer.provideMerge(base))
}
export type Services = Layer.Layer.Success<ReturnType<typeof world>>

/** A running API over one world: its fetch-style handler, a way to run effects on its services, and `close`. */
export const open = async (options: Options = {}) => {
  const scope = Effect.runSync(Scope.make())
  const context: Context.Context<Services> = await Effect.runPromise(Scope.extend(Layer.build(world(options)), scope))
  const served = Layer.succeedContext(options.serve === undefined ? context : options.serve(context))
  const web = Http.toWebHandler(
    options.logger === undefined ? served : Layer.merge(served, Logger.replace(Logger.defaultLogger, options.logger))
  )
  return {
    handler: web.handler,
    run: <A, E>(effect: Effect.Effect<A, E, Services>) => Effect.runPromise(Effect.provide(effect, context)),
    close: async () => {
      await web.dispose()
      await Effect.runPromise(Scope.close(scope, Exit.void))
    }
  }
}
export type Api = Awaited<ReturnType<typeof open>>

/** A bearer token of one of the world's users, issued a minute before the start, expiring `lifetimeSeconds` after it. */
export const sign = (who: keyof typeof World.subjects, lifetimeSeconds = 3600): Promise<string> =>
  new Jose.SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(World.subjects[who])
    .setIssuer(verifier.issuer)
    .setAudience(verifier.audience)
    .setIssuedAt(startSeconds - 60)
    .setExpirationTime(startSeconds + lifetimeSeconds)
    .sign(verifier.secret)
