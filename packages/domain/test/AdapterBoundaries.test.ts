import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { sourceFiles, specifiers } from "./support/Imports.js"

const packages = join(import.meta.dirname, "..", "..")

/** The adapter packages: each meets the others only through the domain's ports. */
const adapters = ["adapters-http", "adapters-node", "adapters-sql"] as const

/** The workspace packages an adapter may not name: every other adapter, and the testkit. */
const foreign = (self: string) => [...adapters.filter((a) => a !== self), "testkit"].map((name) => `@aidial/${name}`)

const names = (specifier: string, pkg: string) => specifier === pkg || specifier.startsWith(`${pkg}/`)

const offenders = (self: string, files: ReadonlyArray<{ readonly file: string; readonly source: string }>) =>
  files.flatMap(({ file, source }) =>
    specifiers(source).filter((s) => foreign(self).some((pkg) => names(s, pkg))).map((s) => `${file}: ${s}`)
  )

describe("the adapter packages", () => {
  it("catches an adapter naming another, in any import form", () => {
    const source = [
      `import { UsageBuffer } from "@aidial/adapters-node"`,
      `import type { KyselyClient } from '@aidial/adapters-sql/internal'`,
      `const t = await import("@aidial/testkit")`,
      `import { Effect } from "effect"`,
      `import { Clock } from "@aidial/domain"`
    ].join("\n")
    expect(offenders("adapters-http", [{ file: "Sample.ts", source }])).toEqual([
      "Sample.ts: @aidial/adapters-node",
      "Sample.ts: @aidial/adapters-sql/internal",
      "Sample.ts: @aidial/testkit"
    ])
  })

  it.each(adapters)("%s imports no other adapter package and not the testkit", (self) => {
    const files = sourceFiles(join(packages, self, "src")).map((file) => ({ file, source: readFileSync(file, "utf8") }))
    expect(files.length).toBeGreaterThan(3)
    expect(offenders(self, files)).toEqual([])
  })

  it.each(adapters)("%s depends on no other adapter package at run time", (self) => {
    const manifest: { dependencies?: Record<string, string>; peerDependencies?: Record<string, string> } = JSON.parse(
      readFileSync(join(packages, self, "package.json"), "utf8")
    )
    const deps = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })
    expect(deps.filter((d) => foreign(self).includes(d))).toEqual([])
  })
})
