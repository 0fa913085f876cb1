/**
 * How a rejected value is described to the caller: the first few issues of a schema failure, one per
 * field path, each cut to a readable length. Used by the request envelope (decode failures, 400) and
 * by the error table (values a use case rejects, 422).
 */

/** One issue of a schema failure: where it is and what was wrong. */
export interface Issue {
  readonly path: ReadonlyArray<PropertyKey>
  readonly message: string
}

/** The `detail` of a problem that reports these issues. */
export const describe = (issues: ReadonlyArray<Issue>): string => {
  const seen = new Set<string>()
  const parts: Array<string> = []
  for (const issue of issues) {
    const path = issue.path.map(String).join(".")
    if (seen.has(path) || issue.message.startsWith("Expected undefined")) continue
    seen.add(path)
    const part = path.length === 0 ? issue.message : `${path}: ${issue.message}`
    parts.push(part.length > 160 ? `${part.slice(0, 157)}...` : part)
  }
  return parts.length === 0 ? "The request did not match the expected schema." : parts.slice(0, 5).join("; ")
}
