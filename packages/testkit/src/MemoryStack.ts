import { Audit, type Clock, type IdGenerator, type Storage as DomainStorage, Team } from "@aidial/domain"
import { Duration, Layer } from "effect"
import * as MemoryApiKeyRepo from "./MemoryApiKeyRepo.js"
import * as MemoryApiKeys from "./MemoryApiKeys.js"
import * as MemoryAuditLog from "./MemoryAuditLog.js"
import * as MemoryProjectConfig from "./MemoryProjectConfig.js"
import * as MemoryTeam from "./MemoryTeam.js"
import * as MemoryTenancy from "./MemoryTenancy.js"
import * as MemoryTransactor from "./MemoryTransactor.js"
import * as SequentialIds from "./SequentialIds.js"
import * as TestClock from "./TestClock.js"

/** Every storage port: the domain's one list (`Storage`). */
export type Storage = DomainStorage

/** All of `Storage` in memory, sharing one transactor (and the API-key store's `StoredRows`, for tests). */
export const layerMemory: Layer.Layer<Storage | MemoryApiKeyRepo.StoredRows> = MemoryApiKeys.layerMemory.pipe(
  Layer.provideMerge(Layer.mergeAll(
    MemoryTenancy.layerMemory,
    MemoryProjectConfig.layerMemory,
    MemoryTeam.layerMemory,
    MemoryAuditLog.layerMemory,
    MemoryTransactor.layerMemory
  ))
)

/**
 * What use cases need besides storage and secrets, deterministic: sequential ids, a standing clock, one
 * request id, and invitations that link to `invitationSettings.acceptUrl` and live 7 days.
 */
export type Runtime = IdGenerator.IdGenerator | Clock.Clock | TestClock.TestClock | Audit.CurrentRequest | Team.InvitationSettings

/** The invitation settings of `layerRuntime`. */
export const invitationSettings = Team.InvitationSettings.of({
  acceptUrl: "https://portal.aidial.invalid/invitations/accept",
  ttl: Duration.days(7)
})

export const layerRuntime = (start?: Date, requestId = "req_test"): Layer.Layer<Runtime> =>
  Layer.mergeAll(
    SequentialIds.layer,
    TestClock.layer(start),
    Layer.succeed(Audit.CurrentRequest, Audit.CurrentRequest.of({ requestId })),
    Layer.succeed(Team.InvitationSettings, invitationSettings)
  )
