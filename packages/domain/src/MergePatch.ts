/** JSON Merge Patch (RFC 7396): how a draft is edited. */
import { equals, isObject, type Json, type JsonObject } from "./Json.js"

/**
 * Applies `patch` to `target` as RFC 7396 says: an object patch merges key by key, `null` removes a
 * key, anything else replaces the target whole (arrays included).
 */
export const apply = (target: Json | undefined, patch: Json): Json => {
  if (!isObject(patch)) return patch
  const base: Record<string, Json> = isObject(target) ? { ...target } : {}
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete base[key]
    else base[key] = apply(base[key], value)
  }
  return base
}

/** The top-level keys a merge patch touches (for a document: the runtime domains it writes). */
export const touchedKeys = (patch: Json): ReadonlyArray<string> => isObject(patch) ? Object.keys(patch) : []

/** The top-level keys whose values differ between two objects. */
export const changedKeys = (a: JsonObject, b: JsonObject): ReadonlyArray<string> => {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)])
  return [...keys].filter((k) => (k in a) !== (k in b) || !equals(a[k] ?? null, b[k] ?? null))
}
