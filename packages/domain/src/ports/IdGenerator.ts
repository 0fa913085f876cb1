import { Context, type Effect } from "effect"
import type { IdKind } from "../Ids.js"

/** Mints new ids; ids are unique and unguessable enough to name things, never secrets. */
export class IdGenerator extends Context.Tag("@aidial/domain/IdGenerator")<IdGenerator, {
  /** A fresh id of the given kind, carrying that kind's prefix. */
  readonly make: (kind: IdKind) => Effect.Effect<string>
}>() {}
