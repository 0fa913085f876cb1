import { StorageError } from "@aidial/domain"
import { Effect } from "effect"

/** Parses JSON text a column holds; text that does not parse is a storage failure. */
export const parse = (text: string, what: string): Effect.Effect<unknown, StorageError.StorageError> =>
  Effect.try({ try: (): unknown => JSON.parse(text), catch: StorageError.StorageError.refail(`stored ${what} is not JSON`) })
