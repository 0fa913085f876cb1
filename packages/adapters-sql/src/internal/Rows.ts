import { BoundedCache, StorageError } from "@aidial/domain"
import { Effect, Either, Option, Schema } from "effect"

/**
 * A decoder of what a row holds into a domain value; a row that does not decode is a storage failure. Build it
 * once (at module level): the schema's parser is compiled when the decoder is made, and each row is then
 * decoded synchronously.
 */
export const decode = <A, I>(schema: Schema.Schema<A, I>, what: string) => {
  const parse = Schema.decodeUnknownEither(schema)
  const refail = StorageError.StorageError.refail(`stored ${what} is invalid`)
  return (input: unknown): Effect.Effect<A, StorageError.StorageError> => Either.mapLeft(parse(input), refail)
}

/** How many decoded rows a `remembered` decoder keeps; the least recently used goes beyond it. */
export const rememberedCapacity = 1024

/**
 * `toDomain` remembered by the row's whole content: decoding is a function of the row alone, so a row read
 * again with every column the same gives the value decoded the first time, without decoding it again (a
 * project or client row is read on nearly every request). For small rows of scalars: the key is the row's
 * JSON text. A row that does not decode is not remembered.
 */
export const remembered = <Row extends object, A>(
  toDomain: (row: Row) => Effect.Effect<A, StorageError.StorageError>
): (row: Row) => Effect.Effect<A, StorageError.StorageError> => {
  const decoded = BoundedCache.make<string, A>(rememberedCapacity, { recency: true })
  return (row) => {
    const key = JSON.stringify(row)
    const hit = decoded.get(key)
    return hit !== undefined ? Effect.succeed(hit) : Effect.tap(toDomain(row), (value) => void decoded.set(key, value))
  }
}

/** Decodes an optional row. */
export const decodeOption = <Row, A>(toDomain: (row: Row) => Effect.Effect<A, StorageError.StorageError>) =>
(row: Row | undefined): Effect.Effect<Option.Option<A>, StorageError.StorageError> =>
  row === undefined ? Effect.succeedNone : Effect.asSome(toDomain(row))

/** Decodes every row, in order. */
export const decodeAll = <Row, A>(toDomain: (row: Row) => Effect.Effect<A, StorageError.StorageError>) =>
(rows: ReadonlyArray<Row>): Effect.Effect<Array<A>, StorageError.StorageError> => Effect.forEach(rows, toDomain)

/** A JavaScript boolean as the 0/1 the tables store. */
export const flag = (value: boolean): number => (value ? 1 : 0)
