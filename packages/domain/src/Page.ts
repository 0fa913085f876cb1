import { Schema } from "effect"

/** Lists are read in id order, `limit` items after the `after` id. */
export interface PageRequest {
  readonly after: string | null
  readonly limit: number
}

export const MaxLimit = 200
export const DefaultLimit = 50

export const Limit = Schema.NumberFromString.pipe(Schema.int(), Schema.between(1, MaxLimit))

export interface Page<A> {
  readonly items: ReadonlyArray<A>
  /** The id to pass as `after` for the next page; `null` on the last page. */
  readonly next: string | null
}

/** Builds a page from up to `limit + 1` rows read in id order. */
export const fromRows = <A extends { readonly id: string }>(rows: ReadonlyArray<A>, limit: number): Page<A> => {
  const items = rows.slice(0, limit)
  const last = items[items.length - 1]
  return { items, next: rows.length > limit && last !== undefined ? last.id : null }
}
