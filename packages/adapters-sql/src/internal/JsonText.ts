import { StorageError } from "@aidial/domain"
import { Either } from "effect"

/** Parses JSON text a column holds; text that does not parse is a storage failure. */
export const parse = (text: string, what: string): Either.Either<unknown, StorageError.StorageError> =>
  Either.try({ try: (): unknown => JSON.parse(text), catch: StorageError.StorageError.refail(`stored ${what} is not JSON`) })
