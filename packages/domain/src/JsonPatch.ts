/**
 * JSON Patch (RFC 6902): the difference between two configuration documents. A pure function in the
 * domain (no library): objects are compared key by key, and an array that differs is replaced whole,
 * which keeps every patch valid and short for the small arrays a configuration holds.
 */
import { Either, Schema } from "effect"
import { equals, escapeToken, isObject, Json, unescapeToken } from "./Json.js"

/** One operation of a JSON Patch; a diff uses only `add`, `remove` and `replace`. */
export const Operation = Schema.Union(
  Schema.Struct({ op: Schema.Literal("add"), path: Schema.String, value: Json }),
  Schema.Struct({ op: Schema.Literal("remove"), path: Schema.String }),
  Schema.Struct({ op: Schema.Literal("replace"), path: Schema.String, value: Json })
).annotations({ identifier: "JsonPatchOperation" })
export type Operation = typeof Operation.Type

/** The operations that turn `from` into `to`, in a stable order (keys sorted). */
export const diff = (from: Json, to: Json, path = ""): ReadonlyArray<Operation> => {
  if (equals(from, to)) return []
  if (isObject(from) && isObject(to)) {
    const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort()
    return keys.flatMap((key): ReadonlyArray<Operation> => {
      const at = `${path}/${escapeToken(key)}`
      const a = from[key]
      const b = to[key]
      if (a === undefined) return b === undefined ? [] : [{ op: "add", path: at, value: b }]
      if (b === undefined) return [{ op: "remove", path: at }]
      return diff(a, b, at)
    })
  }
  return [{ op: "replace", path, value: to }]
}

/** A patch operation that does not fit the document (a path that does not exist). */
export class PatchConflict extends Schema.TaggedError<PatchConflict>()("PatchConflict", {
  path: Schema.String
}) {}

const tokens = (path: string): ReadonlyArray<string> => path === "" ? [] : path.slice(1).split("/").map(unescapeToken)

const update = (
  doc: Json,
  path: ReadonlyArray<string>,
  leaf: (parent: Json, key: string) => Json
): Json | undefined => {
  const [head, ...rest] = path
  if (head === undefined) return undefined
  if (rest.length === 0) return leaf(doc, head)
  if (isObject(doc)) {
    const child = doc[head]
    if (child === undefined) return undefined
    const next = update(child, rest, leaf)
    return next === undefined ? undefined : { ...doc, [head]: next }
  }
  if (Array.isArray(doc)) {
    const index = Number(head)
    const child = doc[index]
    if (child === undefined) return undefined
    const next = update(child, rest, leaf)
    return next === undefined ? undefined : doc.map((x, i) => i === index ? next : x)
  }
  return undefined
}

const applyOne = (doc: Json, operation: Operation): Json | undefined => {
  const path = tokens(operation.path)
  if (path.length === 0) return operation.op === "remove" ? undefined : operation.value
  return update(doc, path, (parent, key) => {
    if (isObject(parent)) {
      const copy: Record<string, Json> = { ...parent }
      if (operation.op === "remove") delete copy[key]
      else copy[key] = operation.value
      return copy
    }
    if (Array.isArray(parent)) {
      const index = key === "-" ? parent.length : Number(key)
      if (operation.op === "add") return [...parent.slice(0, index), operation.value, ...parent.slice(index)]
      if (operation.op === "remove") return parent.filter((_, i) => i !== index)
      return parent.map((x, i) => i === index ? operation.value : x)
    }
    return parent
  })
}

/** Applies a JSON Patch of `add`, `remove` and `replace` operations; a path that does not fit is `PatchConflict`. */
export const apply = (doc: Json, operations: ReadonlyArray<Operation>): Either.Either<Json, PatchConflict> => {
  let current = doc
  for (const operation of operations) {
    const next = applyOne(current, operation)
    if (next === undefined) return Either.left(new PatchConflict({ path: operation.path }))
    current = next
  }
  return Either.right(current)
}
