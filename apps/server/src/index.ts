/** What other apps (the benchmark) reuse from the reference server without starting it. */
import { NodeIdGenerator, NodeSecrets } from "@aidial/adapters-node"
import { Clock, type StorageError } from "@aidial/domain"
import { Effect, Layer, type Redacted } from "effect"
import * as DemoKeys from "./DemoKeys.js"
import * as Storage from "./Storage.js"

export * as App from "./App.js"
export * as Config from "./Config.js"
export * as DemoKeys from "./DemoKeys.js"
export * as DevTokens from "./DevTokens.js"

/**
 * Migrates and seeds the SQLite file at `filename` exactly as the server does on start (demo world, then the
 * demo API keys with `pepper`), and returns the demo keys created now (none when they already existed).
 * A server started afterwards on the same file and pepper accepts these keys.
 */
export const prepareSqlite = (options: {
  readonly filename: string
  readonly pepper: Redacted.Redacted<string>
}): Effect.Effect<ReadonlyArray<DemoKeys.DemoKey>, StorageError.StorageError> =>
  DemoKeys.seed.pipe(
    Effect.provide(
      Storage.layer({ _tag: "Sqlite", filename: options.filename }).pipe(
        Layer.merge(Layer.mergeAll(NodeIdGenerator.layer, Clock.layer, NodeSecrets.layer({ pepper: options.pepper })))
      )
    )
  )
