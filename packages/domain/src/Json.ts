/** JSON values as configuration documents, patches and diffs carry them. */
import { Schema } from "effect"

/** A JSON value: what a configuration document, a merge patch or a JSON Patch operation's value is made of. */
export type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [key: string]: Json }

/** A JSON object. */
export type JsonObject = { readonly [key: string]: Json }

/** Any JSON value, checked all the way down. */
export const Json: Schema.Schema<Json> = Schema.suspend(() =>
  Schema.Union(
    Schema.Null,
    Schema.Boolean,
    Schema.Number,
    Schema.String,
    Schema.Array(Json),
    Schema.Record({ key: Schema.String, value: Json })
  )
).annotations({ identifier: "JsonValue" })

/** A JSON object. */
export const JsonObject: Schema.Schema<JsonObject> = Schema.Record({ key: Schema.String, value: Json })

/** Whether `value` is a JSON object (not an array, not null). */
export const isObject = (value: Json | undefined): value is JsonObject =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** Structural equality of two JSON values (object key order does not matter). */
export const equals = (a: Json, b: Json): boolean => {
  if (a === b) return true
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => equals(x, b[i] ?? null))
  if (isObject(a)) {
    if (!isObject(b)) return false
    const keys = Object.keys(a)
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && equals(a[k] ?? null, b[k] ?? null))
  }
  return false
}

/**
 * Canonical JSON: object keys sorted by UTF-16 code units at every depth, no whitespace, numbers and
 * strings as `JSON.stringify` writes them. Equal documents have one canonical text.
 */
export const canonical = (value: Json): string => {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`
  if (isObject(value)) {
    return `{${
      Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k] ?? null)}`).join(",")
    }}`
  }
  return JSON.stringify(value)
}

/** Escapes one reference token of a JSON pointer (RFC 6901). */
export const escapeToken = (token: string | number): string => String(token).replace(/~/g, "~0").replace(/\//g, "~1")

/** Reads one reference token of a JSON pointer (RFC 6901). */
export const unescapeToken = (token: string): string => token.replace(/~1/g, "/").replace(/~0/g, "~")

/** The JSON pointer (RFC 6901) of a path. */
export const pointer = (path: ReadonlyArray<string | number>): string => path.map((t) => `/${escapeToken(t)}`).join("")

/** The UTF-8 bytes of a string (the domain has no `TextEncoder`: it runs on `effect` alone). */
export const utf8 = (s: string): Uint8Array => {
  const out = new Uint8Array(s.length * 3)
  let n = 0
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i)
    if (c < 0x80) {
      out[n++] = c
      continue
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const low = s.charCodeAt(i + 1)
      if (low >= 0xdc00 && low <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00)
        i++
      }
    }
    if (c < 0x800) {
      out[n++] = 0xc0 | (c >> 6)
      out[n++] = 0x80 | (c & 63)
    } else if (c < 0x10000) {
      out[n++] = 0xe0 | (c >> 12)
      out[n++] = 0x80 | ((c >> 6) & 63)
      out[n++] = 0x80 | (c & 63)
    } else {
      out[n++] = 0xf0 | (c >> 18)
      out[n++] = 0x80 | ((c >> 12) & 63)
      out[n++] = 0x80 | ((c >> 6) & 63)
      out[n++] = 0x80 | (c & 63)
    }
  }
  return out.subarray(0, n)
}
