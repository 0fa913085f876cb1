/**
 * Framework ceilings for section (d): `@effect/platform-node` answering every request with the body in the
 * file `BARE_BODY_FILE`, on `PORT` at 127.0.0.1, with no work behind it. `BENCH_SERVER=platform` serves one
 * `HttpApp` (no router); `BENCH_SERVER=httpapi` serves the HttpApi of `Ceiling` (one endpoint,
 * `GET /v1/projects`), as the reference server's routes are served; `BENCH_SERVER=plumbed` the same endpoint
 * behind the reference server's per-request plumbing with no work in it (`Ceiling.layerPlumbed`);
 * `BENCH_SERVER=lean` the lean reference (`Lean`) over the reference server's file `LEAN_DATABASE_FILE` with its
 * pepper `LEAN_PEPPER` and token settings `LEAN_JWT_SECRET`, `LEAN_ISSUER`, `LEAN_AUDIENCE`. Tracing is off, and every HttpApi is
 * served with `Http.serve`, as in the reference server.
 */
import { Http } from "@aidial/adapters-http"
import { HttpMiddleware, HttpServer, HttpServerResponse } from "@effect/platform"
import { NodeHttpServer, NodeRuntime } from "@effect/platform-node"
import { Effect, Layer } from "effect"
import { readFileSync } from "node:fs"
import { createServer } from "node:http"
import * as Ceiling from "./Ceiling.js"
import * as Lean from "./Lean.js"

const text = readFileSync(process.env["BARE_BODY_FILE"] ?? "", "utf8")
const json: unknown = JSON.parse(text)

const mode = process.env["BENCH_SERVER"]
// Served as the reference server serves its API (`Http.serve`), so that the framework's per-request copies
// of the context cost each subject alike.
const served = mode === "httpapi"
  ? Http.serve().pipe(Layer.provide(Ceiling.layer(json)))
  : mode === "plumbed"
  ? Http.serve().pipe(Layer.provide(Ceiling.layerPlumbed(json)))
  : mode === "lean"
  ? Http.serve().pipe(Layer.provide(Lean.layer({
    filename: process.env["LEAN_DATABASE_FILE"] ?? "",
    pepper: process.env["LEAN_PEPPER"] ?? "",
    jwtSecret: process.env["LEAN_JWT_SECRET"] ?? "",
    issuer: process.env["LEAN_ISSUER"] ?? "",
    audience: process.env["LEAN_AUDIENCE"] ?? "",
    requests: 999_999_999,
    windowSeconds: 60
  })))
  : HttpServer.serve(Effect.succeed(HttpServerResponse.text(text, { contentType: "application/json" })))

const listening = Layer.effectDiscard(Effect.sync(() => process.stdout.write("ready\n")))

NodeRuntime.runMain(Layer.launch(Layer.mergeAll(served, listening).pipe(
  HttpMiddleware.withTracerDisabledWhen(() => true),
  Layer.provide(NodeHttpServer.layer(createServer, { port: Number(process.env["PORT"]), host: "127.0.0.1" })),
  Layer.provide(Layer.setTracerEnabled(false))
)))
