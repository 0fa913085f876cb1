import { FiberRef } from "effect"
import type { Kysely } from "kysely"
import type { Database } from "../Database.js"

/** The transaction the current fiber runs in, if any (set by `SqlTransactor.layer`). */
export const open: FiberRef.FiberRef<Kysely<Database> | null> = FiberRef.unsafeMake<Kysely<Database> | null>(null)
