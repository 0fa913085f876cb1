import { Layer } from "effect"
import * as TeamContract from "../src/contracts/TeamContract.js"
import * as MemoryTeam from "../src/MemoryTeam.js"
import * as MemoryTransactor from "../src/MemoryTransactor.js"

TeamContract.suite("memory", Layer.mergeAll(MemoryTeam.layerMemory, MemoryTransactor.layerMemory))
