import { MemoryAuditLog, MemoryTenancy, MemoryTransactor, TenancyContract } from "@aidial/testkit"
import { Layer } from "effect"

TenancyContract.suite("memory", Layer.mergeAll(MemoryTenancy.layerMemory, MemoryTransactor.layerMemory, MemoryAuditLog.layerMemory))
