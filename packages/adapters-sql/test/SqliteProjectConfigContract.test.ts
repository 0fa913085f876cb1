import { SqlStack } from "@aidial/adapters-sql"
import { ProjectConfigContract } from "@aidial/testkit"
import { Layer } from "effect"
import { sqliteTestLayer } from "./sqliteLayer.js"

ProjectConfigContract.suite("SQLite", SqlStack.layer.pipe(Layer.provide(sqliteTestLayer())))
