/**
 * Opaque pagination cursors: the base64url of the domain's `next` id. A cursor that does not decode to
 * a well-formed id (or is not in canonical form) is a 400.
 */
import { Ids, Page } from "@aidial/domain"
import { Effect, ParseResult, Schema } from "effect"

const cursorPattern = /^[A-Za-z0-9_-]{1,100}$/

/** The cursor a client sends back for the page after `id`. */
export const encode = (id: string): string => Buffer.from(id, "utf8").toString("base64url")

/** A `?cursor=` value, decoded to the id to list after. */
export const Cursor = Schema.transformOrFail(Schema.String, Schema.String, {
  strict: true,
  decode: (cursor, _, ast) => {
    const id = cursorPattern.test(cursor) ? Buffer.from(cursor, "base64url").toString("utf8") : ""
    return Ids.pattern.test(id) && encode(id) === cursor
      ? ParseResult.succeed(id)
      : ParseResult.fail(new ParseResult.Type(ast, cursor, "malformed cursor"))
  },
  encode: (id) => Effect.succeed(encode(id))
}).annotations({ description: "Opaque cursor from a previous page's `next_cursor`." })

/** `?limit=` (1 to 200, default 50) and `?cursor=`, shared by every list endpoint. */
export const PageParams = {
  limit: Schema.optional(Schema.compose(
    // The document shows what the decoder accepts: an integer from 1 to MaxLimit, written in the query string.
    Schema.String.annotations({
      description: `Page size, 1 to ${Page.MaxLimit} (default ${Page.DefaultLimit}).`,
      jsonSchema: {
        type: "integer",
        minimum: 1,
        maximum: Page.MaxLimit,
        default: Page.DefaultLimit,
        description: `Page size, 1 to ${Page.MaxLimit} (default ${Page.DefaultLimit}).`
      }
    }),
    Page.Limit
  )),
  cursor: Schema.optional(Cursor)
}

/** The domain page request from decoded query parameters. */
export const pageRequest = (params: { readonly limit?: number | undefined; readonly cursor?: string | undefined }): Page.PageRequest => ({
  after: params.cursor ?? null,
  limit: params.limit ?? Page.DefaultLimit
})

/** The `next_cursor` of a response: `null` on the last page. */
export const next = (page: { readonly next: string | null }): string | null => page.next === null ? null : encode(page.next)

/** The list envelope of every paged answer: the page's items under their own name, and `next_cursor` (`null` on the last page). */
export const page = <Fields extends Schema.Struct.Fields>(items: Fields) =>
  Schema.Struct({ ...items, next_cursor: Schema.NullOr(Schema.String) })
