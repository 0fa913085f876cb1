/**
 * The HTTP tests' world on a test clock (tests move time): the memory storage of `World`, sequential ids,
 * API keys, and bearer tokens signed with a local HS256 secret, verified by the API's own `layerJose`.
 */
import { Authentication } from "@aidial/adapters-http"
import { SequentialIds, TestClock } from "@aidial/testkit"
import { Layer } from "effect"
import * as Jose from "jose"
import * as ApiKeyStack from "./ApiKeyStack.js"
import * as World from "./World.js"

/** The instant the test clock starts at. */
export const start = new Date("2026-01-01T00:00:00.000Z")
const startSeconds = Math.floor(start.getTime() / 1000)
const secret = new TextEncoder().encode("test-secret-test-secret-test-secret-0123")
const issuer = "https://id.test.aidial"
const audience = "aidial-api"

/** Everything the API needs, over the world's storage and the test clock. */
export const world = () => {
  const base = Layer.mergeAll(World.layer, SequentialIds.layer, TestClock.layer(start))
  const jwt = Authentication.layerJose({ issuer, audience, algorithms: ["HS256"], keys: { _tag: "Local", key: secret } })
  return Layer.mergeAll(jwt, ApiKeyStack.layer()).pipe(Layer.provideMerge(base))
}
export type Services = Layer.Layer.Success<ReturnType<typeof world>>

/** A bearer token of one of the world's users, issued a minute before the start for an hour. */
export const sign = (who: keyof typeof World.subjects): Promise<string> =>
  new Jose.SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(World.subjects[who])
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt(startSeconds - 60)
    .setExpirationTime(startSeconds + 3600)
    .sign(secret)
