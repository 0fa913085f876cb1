import { SqlTeam, SqlTransactor } from "@aidial/adapters-sql"
import { TeamContract } from "@aidial/testkit"
import { Layer } from "effect"
import { pgTestLayer } from "./pgLayer.js"

TeamContract.suite("PostgreSQL", Layer.mergeAll(SqlTeam.layer, SqlTransactor.layer).pipe(Layer.provide(pgTestLayer())))
