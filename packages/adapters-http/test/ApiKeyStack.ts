/** What `Http.layer` needs besides tenancy, ids, the clock and a token verifier, on memory: API keys, usage, audit, team, rate limits. */
import { Admission, ApiKeyAuthentication, RateLimitPolicy } from "@aidial/adapters-http"
import { InProcessRateLimiter, NodeSecrets, UsageBuffer } from "@aidial/adapters-node"
import type { ClientRepo, Clock, IdGenerator } from "@aidial/domain"
import { MemoryApiKeyRepo, MemoryApiKeyUsage, MemoryAuditLog, MemoryTeam, MemoryTransactor } from "@aidial/testkit"
import { Layer, Redacted } from "effect"

/** The pepper the tests' digests use. */
export const pepper = Redacted.make("test-pepper-test-pepper")

/** Memory API-key ports, the real authenticator and admission; the buffer flushes only when told (or every minute). */
export const layer = (policy: RateLimitPolicy.Policy = RateLimitPolicy.defaultPolicy) => {
  const ports = Layer.mergeAll(
    MemoryApiKeyRepo.layerMemory,
    MemoryApiKeyUsage.layerMemory,
    MemoryAuditLog.layerMemory,
    MemoryTransactor.layerMemory,
    MemoryTeam.layerMemory,
    NodeSecrets.layer({ pepper }),
    InProcessRateLimiter.layer,
    RateLimitPolicy.layer(policy)
  )
  const buffered = UsageBuffer.layer({ intervalMillis: 60_000, maxEntries: 100_000 }).pipe(Layer.provideMerge(ports))
  return Layer.mergeAll(Admission.layer, ApiKeyAuthentication.layer).pipe(Layer.provideMerge(buffered))
}

/** What `layer` needs from the rest of the test world. */
export type Needs = ClientRepo.ClientRepo | Clock.Clock | IdGenerator.IdGenerator
