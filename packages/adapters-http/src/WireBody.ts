/**
 * Success bodies already in their wire shape. When an endpoint's success schema encodes to itself (strings,
 * numbers, booleans, nulls, literals, arrays and structs of them: no dates, no redaction, no transformation),
 * a handler can answer with the body as it is and HttpApi skips its encoding pass over the schema. The
 * endpoint still declares the schema (the OpenAPI document is generated from it as before); the type
 * parameter ties the body to it, and `Schema.Schema<A, A>` admits only schemas whose encoded form is their type.
 */
import { HttpServerResponse } from "@effect/platform"
import type { Schema } from "effect"

/** A 200 `application/json` response of `body`, which `schema` would encode to itself. */
export const json = <A>(_schema: Schema.Schema<A, A>) => (body: A): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.unsafeJson(body)
