import { SqlStorage } from "@aidial/adapters-sql"
import { TenancyContract } from "@aidial/testkit"
import { Layer } from "effect"
import { sqliteTestLayer } from "./sqliteLayer.js"

TenancyContract.suite("SQLite", SqlStorage.layer.pipe(Layer.provide(sqliteTestLayer())))
