import { SqlStack } from "@aidial/adapters-sql"
import { TenancyContract } from "@aidial/testkit"
import { Layer } from "effect"
import { sqliteFileTestLayer, sqliteTestLayer } from "./sqliteLayer.js"

TenancyContract.suite("SQLite", SqlStack.layer.pipe(Layer.provide(sqliteTestLayer())))
TenancyContract.suite("SQLite file", SqlStack.layer.pipe(Layer.provide(sqliteFileTestLayer())))
