import type { Page } from "@aidial/domain"

/** One page of `values` in id order, keeping those that match. */
export const pageOf = <A extends { readonly id: string }>(
  values: Iterable<A>,
  matches: (a: A) => boolean,
  request: Page.PageRequest
): Page.Page<A> => {
  const rows = [...values]
    .filter((a) => matches(a) && (request.after === null || a.id > request.after))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, request.limit + 1)
  const items = rows.slice(0, request.limit)
  const last = items[items.length - 1]
  return { items, next: rows.length > request.limit && last !== undefined ? last.id : null }
}
