/**
 * The embedding example run as a deployment runs it: a key issued by a direct use-case call, then the
 * `/v1` API served on node:http over the same database; on a SQLite file, and on PostgreSQL by
 * changing the one database layer.
 */
import { KyselyClient } from "@aidial/adapters-sql"
import { HttpServer } from "@effect/platform"
import { Effect, Either, Exit, Layer, Redacted, Scope } from "effect"
import { sql } from "kysely"
import { randomBytes } from "node:crypto"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { Direct, Service } from "../src/index.js"

const dir = mkdtempSync(join(tmpdir(), "aidial-embed-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const pgUrl = process.env["AIDIAL_TEST_PG_URL"] ?? "postgres://postgres@127.0.0.1:5432/test"
const schema = `embed_${randomBytes(8).toString("hex")}`
const onPg = (statement: ReturnType<typeof sql>) =>
  Effect.runPromise(Effect.scoped(Effect.flatMap(
    KyselyClient.makePg({ connectionString: pgUrl }),
    (client) => Effect.promise(() => statement.execute(client.db))
  )))
afterAll(() => onPg(sql`drop schema if exists ${sql.id(schema)} cascade`))

const secrets: Service.Secrets = { pepper: Redacted.make("embed-test-pepper"), tokenKey: randomBytes(32) }

/** Serves the example over `database` on a free port; returns its base URL and a way to stop it. */
const start = async (database: Layer.Layer<KyselyClient.KyselyClient, unknown>) => {
  const scope = Effect.runSync(Scope.make())
  const context = await Effect.runPromise(Scope.extend(Layer.build(Service.serve(database, secrets, 0)), scope))
  const address = Effect.runSync(Effect.provide(HttpServer.HttpServer, context)).address
  if (address._tag !== "TcpAddress") throw new Error("expected a TCP address")
  return {
    url: `http://127.0.0.1:${address.port}`,
    stop: () => Effect.runPromise(Scope.close(scope, Exit.void))
  }
}

const databases: ReadonlyArray<readonly [string, () => Promise<Layer.Layer<KyselyClient.KyselyClient, unknown>>]> = [
  ["a SQLite file", async () => KyselyClient.layerSqlite({ filename: join(dir, "embed.sqlite") })],
  ["PostgreSQL", async () => {
    await onPg(sql`create schema if not exists ${sql.id(schema)}`)
    return KyselyClient.layerPg({ connectionString: pgUrl, schema })
  }]
]

describe.each(databases)("the embedding example on %s", (_, makeDatabase) => {
  it("serves a key issued by a direct use-case call: its own client, nothing else, nothing without it", async () => {
    const database = await makeDatabase()
    const { client, plaintext } = await Effect.runPromise(Effect.provide(Direct.onboard("Harbour Dental"), Service.core(database, secrets)))
    const server = await start(database)
    try {
      const key = { "x-api-key": Redacted.value(plaintext) }
      const own = await fetch(`${server.url}/v1/clients/${client.id}`, { headers: key })
      expect(own.status).toBe(200)
      expect(await own.json()).toMatchObject({ client_id: client.id, name: "Harbour Dental", status: "active" })
      const listed = await fetch(`${server.url}/v1/clients`, { headers: key })
      expect(await listed.json()).toMatchObject({ clients: [{ client_id: client.id }] })
      expect((await fetch(`${server.url}/v1/clients/cli_elsewhere`, { headers: key })).status).toBe(404)
      expect((await fetch(`${server.url}/v1/clients/${client.id}`)).status).toBe(401)
    } finally {
      await server.stop()
    }
  })

  it("archives a client through the service's own rule, then the key authenticates nothing", async () => {
    const database = await makeDatabase()
    const core = Service.core(database, secrets)
    const { client, plaintext } = await Effect.runPromise(Effect.provide(Direct.onboard("Old Clinic"), core))
    const archived = await Effect.runPromise(Effect.provide(Effect.either(Direct.archive(Direct.operator(client.id), client.id)), core))
    expect(Either.map(archived, (c) => c.status)).toEqual(Either.right("archived"))
    const server = await start(database)
    try {
      expect((await fetch(`${server.url}/v1/clients/${client.id}`, { headers: { "x-api-key": Redacted.value(plaintext) } })).status)
        .toBe(401)
    } finally {
      await server.stop()
    }
  })
})
