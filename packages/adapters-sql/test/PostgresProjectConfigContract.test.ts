import { SqlStack } from "@aidial/adapters-sql"
import { ProjectConfigContract } from "@aidial/testkit"
import { Layer } from "effect"
import { pgTestLayer } from "./pgLayer.js"

ProjectConfigContract.suite("PostgreSQL", SqlStack.layer.pipe(Layer.provide(pgTestLayer())))
