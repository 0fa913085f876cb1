import { IdGenerator, Ids } from "@aidial/domain"
import { Effect, Layer } from "effect"
import { randomBytes } from "node:crypto"

const alphabet = "0123456789abcdefghjkmnpqrstvwxyz"

/** 48 bits of milliseconds then 80 random bits, in 26 lower-case Crockford base32 characters (sortable by time). */
export const ulid = (now: number = Date.now()): string => {
  let out = ""
  let time = now
  for (let i = 0; i < 10; i++) {
    out = alphabet.charAt(time % 32) + out
    time = Math.floor(time / 32)
  }
  const random = randomBytes(16)
  for (let i = 0; i < 16; i++) out += alphabet.charAt(random.readUInt8(i) % 32)
  return out
}

/** Ids `<prefix>_<ulid>`: unique across processes, ordered by creation time. */
export const layer: Layer.Layer<IdGenerator.IdGenerator> = Layer.succeed(
  IdGenerator.IdGenerator,
  IdGenerator.IdGenerator.of({ make: (kind) => Effect.sync(() => `${Ids.prefixes[kind]}_${ulid()}`) })
)
