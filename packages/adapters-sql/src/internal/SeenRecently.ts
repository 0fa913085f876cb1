/**
 * A filter answering "was this id seen lately?" in fixed memory and without allocating: one 32-bit hash
 * per slot, forgotten all at once every `window` sightings. A cache admits an id on its second sighting,
 * so ids that come back often get cached while a stream of ids each seen once (or rarely) costs one
 * hash and one array write apiece, and fills no cache. A collision may answer "seen" for an id that was
 * not: that only caches a row that did not need caching.
 */
export interface SeenRecently {
  /** Whether `id` was seen since the last reset; records the sighting when it was not. */
  readonly check: (id: string) => boolean
}

/** 32-bit FNV-1a over the UTF-16 code units; never 0, which marks an empty slot. */
export const hash = (id: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193)
  return (h >>> 0) || 1
}

/** `slots` must be a power of two; everything is forgotten after `window` sightings that were new. */
export const make = (slots: number, window: number): SeenRecently => {
  const table = new Uint32Array(slots)
  const mask = slots - 1
  let recorded = 0
  return {
    check: (id) => {
      const h = hash(id)
      const slot = h & mask
      if (table[slot] === h) return true
      table[slot] = h
      if (++recorded >= window) {
        table.fill(0)
        recorded = 0
      }
      return false
    }
  }
}
