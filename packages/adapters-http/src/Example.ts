/**
 * Examples for the OpenAPI document, written as they travel on the wire and decoded once when the module
 * loads: an example the schema refuses stops the server from starting, so the document never shows one
 * the server would answer with a 400.
 */
import { Schema } from "effect"

/** `schema` annotated with `example` (its encoded, wire form) as the document's example. */
export const wire = <S extends Schema.Annotable<S, A, I, never>, A, I>(schema: S & Schema.Schema<A, I, never>, example: NoInfer<I>): S =>
  schema.annotations({ examples: [Schema.decodeSync(schema)(example)] })
