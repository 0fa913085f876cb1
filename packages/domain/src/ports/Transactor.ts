import { Context, type Effect } from "effect"
import type { StorageError } from "../StorageError.js"

/** Runs several repository calls as one unit: all of their writes land, or none do. */
export class Transactor extends Context.Tag("@aidial/domain/Transactor")<Transactor, {
  /** Runs `effect` in a transaction, committed on success and rolled back on any failure or interruption. */
  readonly withTransaction: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E | StorageError, R>
}>() {}
