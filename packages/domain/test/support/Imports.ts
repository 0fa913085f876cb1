import { readdirSync } from "node:fs"
import { join } from "node:path"

/** Every `.ts` file under a directory. */
export const sourceFiles = (dir: string): Array<string> =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : []
  )

/** Every module specifier a file names: static imports and exports, dynamic imports, require calls. */
export const specifiers = (source: string): Array<string> =>
  [
    ...source.matchAll(/\b(?:import|export)\b[^'"`;]*?\bfrom\s*["']([^"']+)["']/g),
    ...source.matchAll(/\bimport\s*["']([^"']+)["']/g),
    ...source.matchAll(/\bimport\s*\(\s*["'`]([^"'`]+)["'`]\s*\)/g),
    ...source.matchAll(/\brequire\s*\(\s*["'`]([^"'`]+)["'`]\s*\)/g)
  ].map((m) => m[1] ?? "")
