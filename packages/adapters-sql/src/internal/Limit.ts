import { type RawBuilder, sql } from "kysely"

/**
 * A row limit, bound as a value that SQLite does not prepare the statement again for. Given a bare
 * `LIMIT ?`, SQLite's planner weighs the bound value and prepares the statement anew on every run (a page
 * of one project read on a prepared statement took 13 µs, against 6.8 µs with the cast); `LIMIT CAST(? AS
 * INTEGER)` is an expression, planned once. PostgreSQL reads both alike.
 */
export const of = (n: number): RawBuilder<number> => sql<number>`cast(${n} as integer)`
