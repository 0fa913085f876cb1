import { BoundedCache, StorageError } from "@aidial/domain"
import { Either, Option, Schema } from "effect"

/**
 * A row decoded: the domain value, or the storage failure of a row that does not decode. An `Either`, so
 * decoding runs synchronously, row by row, and an `Either` is also an effect where a repository returns one.
 */
export type Decoded<A> = Either.Either<A, StorageError.StorageError>

/**
 * A decoder of what a row holds into a domain value; a row that does not decode is a storage failure. Build it
 * once (at module level): the schema's parser is compiled when the decoder is made.
 */
export const decode = <A, I>(schema: Schema.Schema<A, I>, what: string) => {
  const parse = Schema.decodeUnknownEither(schema)
  const refail = StorageError.StorageError.refail(`stored ${what} is invalid`)
  return (input: unknown): Decoded<A> => Either.mapLeft(parse(input), refail)
}

/** How many decoded rows a `remembered` decoder keeps; the least recently used goes beyond it. */
export const rememberedCapacity = 1024

/**
 * `toDomain` remembered by the row's whole content: decoding is a function of the row alone, so a row read
 * again with every column the same gives the value decoded the first time, without decoding it again (a
 * project or client row is read on nearly every request). For small rows of scalars: the key is the row's
 * JSON text. A row that does not decode is not remembered.
 */
export const remembered = <Row extends object, A>(toDomain: (row: Row) => Decoded<A>): (row: Row) => Decoded<A> => {
  const decoded = BoundedCache.make<string, A>(rememberedCapacity, { recency: true })
  return (row) => {
    const key = JSON.stringify(row)
    const hit = decoded.get(key)
    if (hit !== undefined) return Either.right(hit)
    const fresh = toDomain(row)
    if (Either.isRight(fresh)) decoded.set(key, fresh.right)
    return fresh
  }
}

/** Decodes an optional row. */
export const decodeOption = <Row, A>(toDomain: (row: Row) => Decoded<A>) =>
(row: Row | undefined): Decoded<Option.Option<A>> => row === undefined ? Either.right(Option.none()) : Either.map(toDomain(row), Option.some)

/** Decodes every row, in order; the first that does not decode fails them all. */
export const decodeAll = <Row, A>(toDomain: (row: Row) => Decoded<A>) => (rows: ReadonlyArray<Row>): Decoded<Array<A>> => {
  const out: Array<A> = []
  for (const row of rows) {
    const one = toDomain(row)
    if (Either.isLeft(one)) return Either.left(one.left)
    out.push(one.right)
  }
  return Either.right(out)
}

/** A JavaScript boolean as the 0/1 the tables store. */
export const flag = (value: boolean): number => (value ? 1 : 0)
