/**
 * The one date-time format the API accepts: strict ISO 8601 with a zone (`2026-12-31T00:00:00Z`,
 * `2026-12-31T09:30:00.5+10:00`). Query parameters and bodies decode it to a `Date`; the OpenAPI document
 * shows the same pattern, so the two cannot disagree. Nothing else parses (no `Date.parse` leniency), and
 * the calendar check is the domain's `Text.isIsoDateTime` (no 30 February rolling over into March).
 */
import { Text } from "@aidial/domain"
import { Schema } from "effect"

/** The pattern a date-time must match. */
export const pattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/

const expected = "an ISO 8601 date-time with a zone (such as 2026-12-31T00:00:00Z)"

/** A strict ISO 8601 date-time with a zone, decoded to a valid `Date`; errors say what is expected in words. */
export const DateTime = Schema.compose(
  Schema.String.annotations({ title: expected }).pipe(
    Schema.pattern(pattern, { message: (issue) => `Expected ${expected}, actual ${JSON.stringify(issue.actual)}` }),
    Schema.filter(Text.isIsoDateTime, {
      message: (issue) => `Expected ${expected} on a date that exists, actual ${JSON.stringify(issue.actual)}`
    })
  ).annotations({ jsonSchema: { format: "date-time" } }),
  Schema.Date
).annotations({ description: "ISO 8601 date-time with a zone, e.g. 2026-12-31T00:00:00Z." })
