import { SqlTeam, SqlTransactor } from "@aidial/adapters-sql"
import { TeamContract } from "@aidial/testkit"
import { Layer } from "effect"
import { sqliteTestLayer } from "./sqliteLayer.js"

TeamContract.suite("SQLite", Layer.mergeAll(SqlTeam.layer, SqlTransactor.layer).pipe(Layer.provide(sqliteTestLayer())))
