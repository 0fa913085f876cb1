import { BoundedCache, Page, StorageError } from "@aidial/domain"
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

/** Whether two rows hold the same columns with the same values (`===`: rows of scalars). */
const sameRow = (a: object, b: object): boolean => {
  const left = a as Record<string, unknown>
  const right = b as Record<string, unknown>
  let columns = 0
  for (const column in right) {
    columns++
    if (left[column] !== right[column]) return false
  }
  for (const _ in left) columns--
  return columns === 0
}

/**
 * `toDomain` remembered by the row's whole content: decoding is a function of the row alone, so a row read
 * again with every column the same gives the value decoded the first time, without decoding it again (a
 * project or client row is read on nearly every request). The row is found by `keyOf` (its primary key) and
 * then compared column by column with the row decoded, so a hit allocates nothing; a row that differs in any
 * column is decoded afresh and replaces it. For rows of scalars. A row that does not decode is not remembered.
 */
export const remembered = <Row extends object, A>(
  toDomain: (row: Row) => Decoded<A>,
  keyOf: (row: Row) => string
): (row: Row) => Decoded<A> => {
  const decoded = BoundedCache.make<string, { readonly row: Row; readonly value: A }>(rememberedCapacity, { recency: true })
  return (row) => {
    const key = keyOf(row)
    const hit = decoded.get(key)
    if (hit !== undefined && sameRow(hit.row, row)) return Either.right(hit.value)
    const fresh = toDomain(row)
    if (Either.isRight(fresh)) decoded.set(key, { row, value: fresh.right })
    else if (hit !== undefined) decoded.delete(key)
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

/** Decodes the first of the rows a statement returned, if any (a read by key). Build it once, beside `toDomain`. */
export const first = <Row, A>(toDomain: (row: Row) => Decoded<A>) => {
  const decode = decodeOption(toDomain)
  return (rows: ReadonlyArray<Row>): Decoded<Option.Option<A>> => decode(rows[0])
}

/**
 * Decodes the rows of a page read, given the page's `limit` (the read asks for one row more, to know whether a next
 * page exists). Build it once, beside `toDomain`.
 */
export const page = <Row, A extends { readonly id: string }>(toDomain: (row: Row) => Decoded<A>) => {
  const decode = decodeAll(toDomain)
  return (limit: number) => (rows: ReadonlyArray<Row>): Decoded<Page.Page<A>> =>
    Either.map(decode(rows), (items) => Page.fromRows(items, limit))
}

/** A JavaScript boolean as the 0/1 the tables store. */
export const flag = (value: boolean): number => (value ? 1 : 0)
