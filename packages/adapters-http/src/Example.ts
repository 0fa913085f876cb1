/**
 * Examples for the OpenAPI document, written as they travel on the wire and decoded once when the module
 * loads: an example the schema refuses stops the server from starting, so the document never shows one
 * the server would answer with a 400.
 */
import { Option, Schema, SchemaAST } from "effect"

/**
 * `schema` annotated with `example` (its encoded, wire form) as the document's example. Annotating drops a
 * schema's identifier, so the identifier is given again: the document keeps its named component.
 */
export const wire = <S extends Schema.Annotable<S, A, I, never>, A, I>(schema: S & Schema.Schema<A, I, never>, example: NoInfer<I>): S =>
  schema.annotations({
    ...Option.match(SchemaAST.getIdentifierAnnotation(schema.ast), { onNone: () => ({}), onSome: (identifier) => ({ identifier }) }),
    examples: [Schema.decodeSync(schema)(example)]
  })
