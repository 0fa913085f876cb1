import { MemoryAuditLog, MemoryProjectConfig, MemoryTenancy, MemoryTransactor, ProjectModel, SequentialIds } from "@aidial/testkit"
import { Layer } from "effect"
import { describe, it } from "vitest"

describe("the project-configuration model on memory", () => {
  it("agrees with create, patch (fresh and stale), publish, restore and entitlement toggles in any order", async () => {
    await ProjectModel.check(
      Layer.mergeAll(
        MemoryTenancy.layerMemory,
        MemoryProjectConfig.layerMemory,
        MemoryAuditLog.layerMemory,
        MemoryTransactor.layerMemory,
        SequentialIds.layer
      ),
      { numRuns: 60 }
    )
  })
})

