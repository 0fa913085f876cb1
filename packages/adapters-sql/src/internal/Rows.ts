import { StorageError } from "@aidial/domain"
import { Effect, Option, Schema } from "effect"

/** Decodes what a row holds into a domain value; a row that does not decode is a storage failure. */
export const decode = <A, I>(schema: Schema.Schema<A, I>, what: string) => (input: unknown): Effect.Effect<A, StorageError.StorageError> =>
  Schema.decodeUnknown(schema)(input).pipe(Effect.mapError(StorageError.StorageError.refail(`stored ${what} is invalid`)))

/** Decodes an optional row. */
export const decodeOption = <Row, A>(toDomain: (row: Row) => Effect.Effect<A, StorageError.StorageError>) =>
(row: Row | undefined): Effect.Effect<Option.Option<A>, StorageError.StorageError> =>
  row === undefined ? Effect.succeedNone : Effect.asSome(toDomain(row))

/** Decodes every row, in order. */
export const decodeAll = <Row, A>(toDomain: (row: Row) => Effect.Effect<A, StorageError.StorageError>) =>
(rows: ReadonlyArray<Row>): Effect.Effect<Array<A>, StorageError.StorageError> => Effect.forEach(rows, toDomain)

/** A JavaScript boolean as the 0/1 the tables store. */
export const flag = (value: boolean): number => (value ? 1 : 0)
