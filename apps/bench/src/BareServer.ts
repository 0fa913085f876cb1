/**
 * The floor for section (d): a bare `node:http` server that answers every request with the body in the file
 * `BARE_BODY_FILE` (byte for byte what the reference server returned), on `PORT` at 127.0.0.1.
 */
import { readFileSync } from "node:fs"
import { createServer } from "node:http"

const body = readFileSync(process.env["BARE_BODY_FILE"] ?? "")
const headers = { "content-type": "application/json", "content-length": String(body.length) }
createServer((_request, response) => {
  response.writeHead(200, headers)
  response.end(body)
}).listen(Number(process.env["PORT"]), "127.0.0.1", () => process.stdout.write("ready\n"))
