/**
 * The HTTP tests' world on a standing clock: the memory storage of `World`, sequential ids, API keys,
 * and bearer tokens signed with a local HS256 secret, verified by the API's own `layerJose`.
 */
import { Authentication } from "@aidial/adapters-http"
import { Clock } from "@aidial/domain"
import { SequentialIds } from "@aidial/testkit"
import { Effect, Layer } from "effect"
import * as Jose from "jose"
import * as ApiKeyStack from "./ApiKeyStack.js"
import * as World from "./World.js"

/** The instant the clock stands at. */
export const now = new Date("2026-01-01T00:00:00.000Z")
const secret = new TextEncoder().encode("standing-world-secret-standing-world-01")
const issuer = "https://id.test.aidial"
const audience = "aidial-api"

/** Everything the API needs, over the world's storage. */
export const requirements = Layer.mergeAll(
  Authentication.layerJose({ issuer, audience, algorithms: ["HS256"], keys: { _tag: "Local", key: secret } }),
  ApiKeyStack.layer()
).pipe(Layer.provideMerge(Layer.mergeAll(
  World.layer,
  SequentialIds.layer,
  Layer.succeed(Clock.Clock, Clock.Clock.of({ now: Effect.sync(() => now) }))
)))

/** A bearer token of one of the world's users, issued a minute ago for an hour. */
export const token = (who: keyof typeof World.subjects): Promise<string> =>
  new Jose.SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(World.subjects[who])
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt(Math.floor(now.getTime() / 1000) - 60)
    .setExpirationTime(Math.floor(now.getTime() / 1000) + 3600)
    .sign(secret)
