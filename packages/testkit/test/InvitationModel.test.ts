import { Layer } from "effect"
import { it } from "vitest"
import * as MemoryStack from "../src/MemoryStack.js"
import * as InvitationModel from "../src/models/InvitationModel.js"
import { secrets } from "./support/Fixture.js"
import * as Runs from "./support/Runs.js"

it("keeps invitations, acceptances and memberships as the model says over 100 generated runs on memory", async () => {
  await InvitationModel.check(Layer.mergeAll(MemoryStack.layerMemory, secrets), { numRuns: Runs.numRuns(100) })
}, 120_000)
