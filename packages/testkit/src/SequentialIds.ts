import { IdGenerator, Ids } from "@aidial/domain"
import { Effect, Layer } from "effect"

/** Ids `<prefix>_<n>` counting up from 1, zero-padded so that id order is creation order. */
export const layer: Layer.Layer<IdGenerator.IdGenerator> = Layer.sync(IdGenerator.IdGenerator, () => {
  let n = 0
  return IdGenerator.IdGenerator.of({
    make: (kind) => Effect.sync(() => `${Ids.prefixes[kind]}_${String(++n).padStart(8, "0")}`)
  })
})
