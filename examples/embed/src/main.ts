/** Runs the embedding service on a SQLite file: `node dist/main.js [file] [port]`. */
import { KyselyClient } from "@aidial/adapters-sql"
import { NodeRuntime } from "@effect/platform-node"
import { Layer, Redacted } from "effect"
import { randomBytes } from "node:crypto"
import * as Service from "./Service.js"

const filename = process.argv[2] ?? "embed.db"
const port = Number(process.argv[3] ?? 8788)
const secrets = { pepper: Redacted.make(process.env["EMBED_KEY_PEPPER"] ?? "embed-development-pepper"), tokenKey: randomBytes(32) }

NodeRuntime.runMain(Layer.launch(Service.serve(KyselyClient.layerSqlite({ filename }), secrets, port)))
