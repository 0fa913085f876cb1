// Copies each walkthrough script into the README block marked `<!-- walkthrough: <path> -->` (run from the
// repository root after editing a script: node examples/walkthrough/sync-readmes.mjs); the test suite checks they agree.
import { readFileSync, writeFileSync } from "node:fs"

for (const readme of ["README.md", "packages/adapters-http/README.md"]) {
  const text = readFileSync(readme, "utf8")
  const synced = text.replace(/(<!-- walkthrough: (\S+) -->\n```sh\n)[\s\S]*?\n```/g, (_, head, path) =>
    `${head}${readFileSync(path, "utf8")}\`\`\``)
  if (synced !== text) writeFileSync(readme, synced)
}
