import { SqlStorage } from "@aidial/adapters-sql"
import { TenancyContract } from "@aidial/testkit"
import { Layer } from "effect"
import { sqliteFileTestLayer, sqliteTestLayer } from "./sqliteLayer.js"

TenancyContract.suite("SQLite", SqlStorage.layer.pipe(Layer.provide(sqliteTestLayer())))
TenancyContract.suite("SQLite file", SqlStorage.layer.pipe(Layer.provide(sqliteFileTestLayer())))
