/**
 * A map that holds at most `capacity` entries: beyond it the oldest entry goes. With `recency`, a hit
 * makes its entry the newest (least recently used goes); without it, entries go in the order they came
 * (a hit costs no write, which the hot reads prefer). The one bounded cache of every package: the
 * storage adapters' statement, shape and row caches, the bearer-token cache, the failed-verification
 * windows.
 */
export interface BoundedCache<K, V> {
  /** The value held for `key`, if any. */
  readonly get: (key: K) => V | undefined
  /** Holds `value` for `key` (dropping the oldest entry beyond capacity) and returns it. */
  readonly set: (key: K, value: V) => V
  /** Drops the entry of `key`, if any. */
  readonly delete: (key: K) => void
  /** Drops every entry. */
  readonly clear: () => void
  /** How many entries are held. */
  readonly size: () => number
}

/** An empty cache of at most `capacity` entries. */
export const make = <K, V>(capacity: number, options: { readonly recency?: boolean } = {}): BoundedCache<K, V> => {
  const entries = new Map<K, V>()
  const recency = options.recency === true
  return {
    get: recency
      ? (key) => {
        const value = entries.get(key)
        if (value !== undefined) {
          entries.delete(key)
          entries.set(key, value)
        }
        return value
      }
      : (key) => entries.get(key),
    set: (key, value) => {
      entries.delete(key)
      entries.set(key, value)
      if (entries.size > capacity) {
        const oldest = entries.keys().next()
        if (oldest.done !== true) entries.delete(oldest.value)
      }
      return value
    },
    delete: (key) => void entries.delete(key),
    clear: () => entries.clear(),
    size: () => entries.size
  }
}
