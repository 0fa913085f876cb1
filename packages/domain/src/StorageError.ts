import { Schema } from "effect"

/** A storage adapter failed (connection, constraint, driver): the one error every port may raise. */
export class StorageError extends Schema.TaggedError<StorageError>()("StorageError", {
  message: Schema.String,
  cause: Schema.optional(Schema.Defect)
}) {
  /** Wraps any driver failure, keeping it as the cause. */
  static refail = (message: string) => (cause: unknown) => new StorageError({ message, cause })
}
