/**
 * Executable walkthroughs: a shell script of commands, each optionally followed by `#> ` lines with the
 * answer it must print (`…` stands for any text). `instrument` marks where each command's output starts;
 * `check` compares what each command printed with its expected answer.
 */

/** One command of a script and the answer written under it (`null` when none is written). */
export interface Step {
  readonly line: number
  readonly command: string
  readonly expected: string | null
}

/** The commands of `script`: a non-comment line and its `\`-continued lines, with the `#> ` lines after it. */
export const steps = (script: string): ReadonlyArray<Step> => {
  const lines = script.split("\n")
  const out: Array<{ line: number; command: string; expected: Array<string> }> = []
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ""
    if (line.startsWith("#>")) {
      const last = out[out.length - 1]
      if (last === undefined) throw new Error(`line ${i + 1}: an expected answer before any command`)
      last.expected.push(line.slice(2).trimStart())
      continue
    }
    if (line.trim() === "" || line.trimStart().startsWith("#")) continue
    const start = i
    const command = [line]
    while ((lines[i] ?? "").endsWith("\\") && i + 1 < lines.length) command.push(lines[++i] ?? "")
    out.push({ line: start + 1, command: command.join("\n"), expected: [] })
  }
  return out.map((s) => ({ line: s.line, command: s.command, expected: s.expected.length === 0 ? null : s.expected.join("\n") }))
}

const marker = (index: number) => `@@walkthrough-step ${index}@@`

/** The script with a line before each command printing its marker. */
export const instrument = (all: ReadonlyArray<Step>): string =>
  all.map((step, index) => `printf '\\n%s\\n' '${marker(index)}'\n${step.command}\n`).join("")

/** Whether `text` matches `pattern`, where `…` stands for any text (possibly empty). */
export const matches = (pattern: string, text: string): boolean => {
  const parts = pattern.split("…")
  const first = parts[0] ?? ""
  if (!text.startsWith(first)) return false
  let at = first.length
  for (let i = 1; i < parts.length - 1; i++) {
    const found = text.indexOf(parts[i] ?? "", at)
    if (found < 0) return false
    at = found + (parts[i] ?? "").length
  }
  if (parts.length === 1) return text === first
  const last = parts[parts.length - 1] ?? ""
  return text.length - last.length >= at && text.endsWith(last)
}

/** A command whose output differs from its expected answer. */
export interface Mismatch {
  readonly line: number
  readonly command: string
  readonly expected: string
  readonly actual: string
}

/** What each command printed (from the instrumented script's output), checked against its expected answer. */
export const check = (all: ReadonlyArray<Step>, output: string): ReadonlyArray<Mismatch> => {
  const text = output.replace(/\r\n/g, "\n")
  const mismatches: Array<Mismatch> = []
  all.forEach((step, index) => {
    const start = text.indexOf(marker(index))
    const end = text.indexOf(marker(index + 1))
    const actual = start < 0 ? "(the command never ran)" : text.slice(start + marker(index).length, end < 0 ? undefined : end).trim()
    if (step.expected !== null && !matches(step.expected, actual)) {
      mismatches.push({ line: step.line, command: step.command, expected: step.expected, actual })
    }
  })
  return mismatches
}

/** The fenced `sh` block that follows `<!-- walkthrough: <path> -->` in a README, or `null`. */
export const readmeBlock = (readme: string, path: string): string | null => {
  const at = readme.indexOf(`<!-- walkthrough: ${path} -->`)
  if (at < 0) return null
  const open = readme.indexOf("```sh\n", at)
  const close = readme.indexOf("\n```", open)
  return open < 0 || close < 0 ? null : readme.slice(open + "```sh\n".length, close + 1)
}
