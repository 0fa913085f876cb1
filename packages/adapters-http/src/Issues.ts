/**
 * How a rejected value is described to the caller: the first few issues of a schema failure, one per
 * field path in the API's own field names, each saying what would be accepted (every allowed value of
 * an enumeration, not only the first) and never naming an internal schema. Used by the request envelope
 * (decode failures, 400) and by the error table (values a use case rejects, 422).
 */

/** One issue of a schema failure: where it is and what was wrong. */
export interface Issue {
  readonly path: ReadonlyArray<PropertyKey>
  readonly message: string
}

const expectedActual = /^Expected ([\s\S]*), actual ([\s\S]*)$/
const unexpected = /^is unexpected, expected: ([\s\S]*)$/
const notANumber = /^Unable to decode ([\s\S]*) into a number$/
/** A schema's name (`CreateApiKey`, `Struct (Encoded side)`): what the caller sent was not the object it stands for. */
const schemaName = /^[A-Z][A-Za-z0-9]*( \([A-Za-z ]+\))?$/

/** What one alternative of the expected value is, in words a caller can act on. */
const alternative = (expected: string, root: boolean): string =>
  schemaName.test(expected) || expected.startsWith("{") ? "a JSON object"
  : expected.startsWith("ReadonlyArray<") || expected.startsWith("readonly [") ? "a JSON array"
  : expected === "null" && root ? "no body"
  : expected

/** The message for one field path, from every issue at that path (one per alternative of a union). */
const summarise = (messages: ReadonlyArray<string>, root: boolean): string => {
  const alternatives: Array<string> = []
  let actual: string | null = null
  const other: Array<string> = []
  for (const message of messages) {
    const match = expectedActual.exec(message)
    if (match !== null) {
      const wanted = alternative(match[1] ?? "", root)
      if (!alternatives.includes(wanted)) alternatives.push(wanted)
      actual = match[2] ?? ""
      continue
    }
    const extra = unexpected.exec(message)
    if (extra !== null) {
      other.push(`is not a field here; the fields are ${(extra[1] ?? "").split(" | ").join(", ")}`)
      continue
    }
    const number = notANumber.exec(message)
    other.push(number !== null ? `must be a number, got ${number[1] ?? ""}` : message)
  }
  if (alternatives.length === 0) return other[0] ?? "is not valid"
  const wanted = alternatives.length === 1
    ? `expected ${alternatives[0]}`
    : `expected ${alternatives.length > 2 ? "one of " : ""}${alternatives.slice(0, -1).join(", ")} or ${alternatives[alternatives.length - 1]}`
  const got = actual === "null" && root ? "no body (or null)" : actual
  return [`${wanted}, got ${got}`, ...other].join("; ")
}

/**
 * The `detail` of a problem that reports these issues; `root` names what an issue without a path is about
 * (the request body, for a decode failure), where no body and `null` read alike.
 */
export const describe = (issues: ReadonlyArray<Issue>, root?: string): string => {
  const byPath = new Map<string, Array<string>>()
  for (const issue of issues) {
    if (issue.message.startsWith("Expected undefined")) continue
    const path = issue.path.map(String).join(".")
    const messages = byPath.get(path) ?? []
    messages.push(issue.message)
    byPath.set(path, messages)
  }
  const parts: Array<string> = []
  for (const [path, messages] of byPath) {
    const message = summarise(messages, path.length === 0 && root !== undefined)
    const part = path.length === 0 ? (root === undefined ? message : `${root}: ${message}`) : `${path}: ${message}`
    parts.push(part.length > 300 ? `${part.slice(0, 297)}...` : part)
  }
  return parts.length === 0 ? "The request did not match the expected schema." : parts.slice(0, 5).join("; ")
}
