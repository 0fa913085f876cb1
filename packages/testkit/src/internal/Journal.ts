import { Effect, FiberRef } from "effect"

/** The undo steps of the memory transaction the current fiber runs in, if any. */
export const current: FiberRef.FiberRef<Array<() => void> | null> = FiberRef.unsafeMake<Array<() => void> | null>(null)

/** Applies a mutation now; `apply` returns how to undo it, kept if a transaction is open. */
export const write = (apply: () => () => void): Effect.Effect<void> =>
  Effect.flatMap(FiberRef.get(current), (journal) =>
    Effect.sync(() => {
      const undo = apply()
      journal?.push(undo)
    }))

/** Sets `map[key] = value`, remembering the previous state. */
export const set = <K, V extends {}>(map: Map<K, V>, key: K, value: V): Effect.Effect<void> =>
  write(() => {
    const undo = restorer(map, key)
    map.set(key, value)
    return undo
  })

/** Deletes `map[key]`, remembering the previous state. */
export const remove = <K, V extends {}>(map: Map<K, V>, key: K): Effect.Effect<void> =>
  write(() => {
    const undo = restorer(map, key)
    map.delete(key)
    return undo
  })

/** How to put `map[key]` back as it is now (values are never `undefined`). */
const restorer = <K, V extends {}>(map: Map<K, V>, key: K): () => void => {
  const previous = map.get(key)
  return () => void (previous === undefined ? map.delete(key) : map.set(key, previous))
}
