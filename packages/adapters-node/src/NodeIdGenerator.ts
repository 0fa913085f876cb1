import { IdGenerator, Ids } from "@aidial/domain"
import { Effect, Layer } from "effect"
import { randomFillSync } from "node:crypto"

const alphabet = "0123456789abcdefghjkmnpqrstvwxyz"

/** Random bytes drawn from the CSPRNG in blocks, so an id costs no call into it and no allocation of its own. */
const pool = Buffer.alloc(16 * 256)
let poolOffset = pool.length

/** The character codes of the alphabet, and of the id being built (one string is made of them at the end). */
const codes = Array.from(alphabet, (c) => c.charCodeAt(0))
const out: Array<number> = new Array(26).fill(0)

/** 48 bits of milliseconds then 80 random bits, in 26 lower-case Crockford base32 characters (sortable by time). */
export const ulid = (now: number = Date.now()): string => {
  let time = now
  for (let i = 9; i >= 0; i--) {
    out[i] = codes[time % 32] ?? 0
    time = Math.floor(time / 32)
  }
  if (poolOffset + 16 > pool.length) {
    randomFillSync(pool)
    poolOffset = 0
  }
  for (let i = 0; i < 16; i++) out[10 + i] = codes[(pool[poolOffset + i] ?? 0) % 32] ?? 0
  poolOffset += 16
  return String.fromCharCode(...out)
}

/** Ids `<prefix>_<ulid>`: unique across processes, ordered by creation time. */
export const layer: Layer.Layer<IdGenerator.IdGenerator> = Layer.succeed(
  IdGenerator.IdGenerator,
  IdGenerator.IdGenerator.of({ make: (kind) => Effect.sync(() => `${Ids.prefixes[kind]}_${ulid()}`) })
)
