/** What `Http.layer` needs besides tenancy, ids, the clock and a token verifier, on memory: API keys, usage, audit, team, rate limits. */
import { Admission, ApiKeyAuthentication, RateLimitPolicy } from "@aidial/adapters-http"
import { ActivityBuffer, InProcessRateLimiter, NodeSecrets, UsageBuffer } from "@aidial/adapters-node"
import { type ClientRepo, type Clock, type IdGenerator, Team } from "@aidial/domain"
import { MemoryApiKeyRepo, MemoryApiKeyUsage, MemoryAuditLog, MemoryStack, MemoryTeam, MemoryTransactor } from "@aidial/testkit"
import { Layer, Redacted } from "effect"

/** The pepper the tests' digests use. */
export const pepper = Redacted.make("test-pepper-test-pepper")

/**
 * Memory API-key and team ports, the real authenticator and admission; the usage and activity buffers flush
 * only when told (or every minute).
 */
export const layer = (policy: RateLimitPolicy.Policy = RateLimitPolicy.defaultPolicy) => {
  const ports = Layer.mergeAll(
    MemoryApiKeyRepo.layerMemory,
    MemoryApiKeyUsage.layerMemory,
    MemoryAuditLog.layerMemory,
    MemoryTransactor.layerMemory,
    MemoryTeam.layerMemory,
    NodeSecrets.layer({ pepper }),
    InProcessRateLimiter.layer,
    RateLimitPolicy.layer(policy),
    Layer.succeed(Team.InvitationSettings, MemoryStack.invitationSettings)
  )
  const buffered = Layer.mergeAll(
    UsageBuffer.layer({ intervalMillis: 60_000, maxEntries: 100_000 }),
    ActivityBuffer.layer({ flushEveryMs: 60_000 })
  ).pipe(Layer.provideMerge(ports))
  return Layer.mergeAll(Admission.layer, ApiKeyAuthentication.layer).pipe(Layer.provideMerge(buffered))
}

/** What `layer` needs from the rest of the test world. */
export type Needs = ClientRepo.ClientRepo | Clock.Clock | IdGenerator.IdGenerator
