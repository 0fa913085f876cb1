/**
 * Every walkthrough of the READMEs (`examples/walkthrough/*.sh`) runs against the built reference server on a
 * fresh SQLite file, and every answer written under a command is what that command prints; each README shows
 * the script's exact text.
 */
import { execFileSync, spawn } from "node:child_process"
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as Walkthrough from "./Walkthrough.js"

const root = resolve(import.meta.dirname, "../../..")
const folder = "examples/walkthrough"
const scripts = readdirSync(join(root, folder)).filter((f) => f.endsWith(".sh") && f !== "lib.sh").sort()
const readmes = ["README.md", "packages/adapters-http/README.md"].map((path) => ({ path, text: readFileSync(join(root, path), "utf8") }))
const dir = mkdtempSync(join(tmpdir(), "aidial-walkthrough-"))

beforeAll(() => {
  // The scripts talk to the server Node runs from dist/, so build it from the current sources first.
  execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-b"], { cwd: root, stdio: "inherit" })
}, 300_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** The reference server on a fresh SQLite file in `work`, listening on a free port, its output in `work/aidial.log`. */
const startServer = async (work: string) => {
  const log = join(work, "aidial.log")
  const fd = openSync(log, "w")
  const child = spawn(process.execPath, [join(root, "apps/server/dist/main.js")], {
    cwd: work,
    env: {
      PATH: process.env["PATH"] ?? "",
      PORT: "0",
      AIDIAL_DATABASE_URL: `sqlite:${join(work, "aidial.db")}`,
      AIDIAL_USAGE_FLUSH_MS: "100"
    },
    stdio: ["ignore", fd, fd]
  })
  closeSync(fd)
  const exited = new Promise<void>((r) => child.once("exit", () => r()))
  for (let waited = 0; waited < 60_000; waited += 100) {
    const url = /listening on (http:\/\/\S+)/.exec(readFileSync(log, "utf8"))
    if (url !== null) return { url: url[1] ?? "", log, stop: () => (child.kill("SIGTERM"), exited) }
    if (child.exitCode !== null) break
    await sleep(100)
  }
  child.kill("SIGKILL")
  throw new Error(`the server did not start:\n${readFileSync(log, "utf8")}`)
}

/** Runs `script` (as `bash -euo pipefail`, from the repository root) against a fresh server; its output and the steps. */
const run = async (script: string) => {
  const work = mkdtempSync(join(dir, `${script.replace(/\.sh$/, "")}-`))
  const all = Walkthrough.steps(readFileSync(join(root, folder, script), "utf8"))
  const file = join(work, "instrumented.sh")
  writeFileSync(file, Walkthrough.instrument(all))
  const server = await startServer(work)
  try {
    const outFile = join(work, "output.txt")
    const fd = openSync(outFile, "w")
    const child = spawn("bash", ["-euo", "pipefail", file], {
      cwd: root,
      env: { PATH: process.env["PATH"] ?? "", HOME: work, U: server.url, LOG: server.log },
      stdio: ["ignore", fd, fd]
    })
    closeSync(fd)
    const code = await new Promise<number | null>((r) => child.once("exit", (c) => r(c)))
    return { all, code, output: readFileSync(outFile, "utf8"), log: readFileSync(server.log, "utf8") }
  } finally {
    await server.stop()
  }
}

describe("the walkthroughs", () => {
  it("are examples/walkthrough/*.sh, each shown verbatim in a README", () => {
    expect(scripts.length).toBeGreaterThanOrEqual(4)
    for (const script of scripts) {
      const text = readFileSync(join(root, folder, script), "utf8")
      const shown = readmes.map((r) => Walkthrough.readmeBlock(r.text, `${folder}/${script}`)).filter((b) => b !== null)
      expect(shown, `${script} is shown in a README`).toHaveLength(1)
      expect(shown[0]).toBe(text)
    }
  })

  it.each(scripts)("%s prints the answers written under its commands", async (script) => {
    const result = await run(script)
    const mismatches = Walkthrough.check(result.all, result.output)
    const report = mismatches.map((m) =>
      `line ${m.line}: ${m.command}\n  expected: ${m.expected}\n  actual:   ${m.actual}`
    ).join("\n\n")
    expect(report, `output:\n${result.output}`).toBe("")
    expect(result.code, `output:\n${result.output}\nserver log:\n${result.log}`).toBe(0)
    expect(result.all.filter((s) => s.expected !== null).length).toBeGreaterThan(0)
  }, 120_000)
})

describe("the reference server's banner", () => {
  it("prints the demo keys once, and after a restart says how to get a key back", async () => {
    const work = mkdtempSync(join(dir, "restart-"))
    const first = await startServer(work)
    await first.stop()
    expect(readFileSync(first.log, "utf8")).toMatch(/^export AIDIAL_KEY_LIVE=adk_live_/m)
    const again = await startServer(work)
    await again.stop()
    const banner = readFileSync(again.log, "utf8")
    expect(banner).not.toMatch(/^export AIDIAL_KEY_LIVE=/m)
    expect(banner).toContain("their plaintexts were shown on the first start only")
    expect(banner).toMatch(/Create another with an admin's bearer token[\s\S]*curl -s -X POST http:\/\/\S+\/v1\/clients\/cli_acme_dental\/api-keys/)
  }, 120_000)
})

describe("a walkthrough's expected answer", () => {
  it("matches with … standing for any text, and only then", () => {
    expect(Walkthrough.matches(`{"a":1…}`, `{"a":1,"b":2}`)).toBe(true)
    expect(Walkthrough.matches(`{"a":1…}`, `{"a":2,"b":2}`)).toBe(false)
    expect(Walkthrough.matches(`…"b":2}`, `{"a":1,"b":2}`)).toBe(true)
    expect(Walkthrough.matches(`…"b":3}`, `{"a":1,"b":2}`)).toBe(false)
    expect(Walkthrough.matches(`{…"b"…"a"…}`, `{"a":1,"b":2}`)).toBe(false)
    expect(Walkthrough.matches(`204`, `204`)).toBe(true)
    expect(Walkthrough.matches(`204`, `2045`)).toBe(false)
    expect(Walkthrough.matches(`ab…ba`, `aba`)).toBe(false)
  })

  it("is checked command by command", () => {
    const all = Walkthrough.steps("echo one\n#> one\n# prose\necho two \\\n  three\n#> two…\nexit 0\n")
    expect(all.map((s) => [s.line, s.expected])).toEqual([[1, "one"], [4, "two…"], [7, null]])
    const output = Walkthrough.instrument(all)
    expect(output).toContain("echo two \\\n  three")
    const printed = `\n@@walkthrough-step 0@@\none\n\n@@walkthrough-step 1@@\nthree\n\n@@walkthrough-step 2@@\n`
    expect(Walkthrough.check(all, printed).map((m) => m.line)).toEqual([4])
  })
})
