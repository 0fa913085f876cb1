import { SqlStack } from "@aidial/adapters-sql"
import { TenancyContract } from "@aidial/testkit"
import { Layer } from "effect"
import { pgTestLayer } from "./pgLayer.js"

TenancyContract.suite("PostgreSQL", SqlStack.layer.pipe(Layer.provide(pgTestLayer())))
