import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { sourceFiles, specifiers } from "./support/Imports.js"

const root = join(import.meta.dirname, "..")

const allowed = (specifier: string) =>
  specifier === "effect" || specifier.startsWith("effect/") || specifier.startsWith("./") || specifier.startsWith("../")

describe("the domain package", () => {
  it("finds the module specifiers of every import form", () => {
    const sample = [
      `import { a } from "node:fs"`,
      `import type { B } from 'pg'`,
      `export * as C from "./C.js"`,
      `import "kysely"`,
      `const d = await import("better-sqlite3")`,
      `const e = require("jose")`
    ].join("\n")
    expect(specifiers(sample)).toEqual(["node:fs", "pg", "./C.js", "kysely", "better-sqlite3", "jose"])
  })

  it("imports effect and its own modules only", () => {
    const files = sourceFiles(join(root, "src"))
    expect(files.length).toBeGreaterThan(10)
    const offenders = files.flatMap((file) =>
      specifiers(readFileSync(file, "utf8")).filter((s) => !allowed(s)).map((s) => `${file}: ${s}`)
    )
    expect(offenders).toEqual([])
  })

  it("depends on effect alone", () => {
    const manifest: { dependencies?: Record<string, string>; peerDependencies?: Record<string, string> } = JSON.parse(
      readFileSync(join(root, "package.json"), "utf8")
    )
    expect(Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })).toEqual(["effect"])
  })
})
