/**
 * The reference server's `node:http` server: what Node refuses before the API sees a request (headers
 * over `maxHeaderSize`, a malformed request line or chunk) is answered as problem+json too, then the
 * connection closes. Node counts the request line (URL included) towards the header limit.
 */
import { Problem } from "@aidial/adapters-http"
import { createServer, type Server } from "node:http"
import type { Duplex } from "node:stream"

/** Node's default header limit, stated here so the README and the server agree: 16 KiB for the request line and headers. */
export const maxHeaderBytes = 16 * 1024

const reason: Readonly<Record<number, string>> = { 400: "Bad Request", 431: "Request Header Fields Too Large" }

/** The raw HTTP/1.1 problem response Node's parser failures get (the API never saw the request). */
export const clientErrorResponse = (errorCode: string | undefined): string => {
  const tooLarge = errorCode === "HPE_HEADER_OVERFLOW"
  const status = tooLarge ? 431 : 400
  const body = JSON.stringify(
    tooLarge
      ? {
        type: "urn:aidial:problem:headers_too_large",
        title: reason[431],
        status,
        code: "headers_too_large",
        detail: `The request line and headers are larger than ${maxHeaderBytes} bytes; shorten the URL or the headers.`
      }
      : Problem.body(new Problem.BadRequest({ detail: "The request could not be parsed as HTTP/1.1." }))
  )
  return [
    `HTTP/1.1 ${status} ${reason[status]}`,
    `Content-Type: ${Problem.ContentType}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    "Cache-Control: no-store",
    "Connection: close",
    "",
    body
  ].join("\r\n")
}

const codeOf = (error: unknown): string | undefined => {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined
  return typeof error.code === "string" ? error.code : undefined
}

/** A `node:http` server whose parser failures are problem+json responses. */
export const make = (): Server => {
  const server = createServer({ maxHeaderSize: maxHeaderBytes })
  server.on("clientError", (error: unknown, socket: Duplex) => {
    const code = codeOf(error)
    if (code === "ECONNRESET" || !socket.writable) {
      socket.destroy()
      return
    }
    socket.end(clientErrorResponse(code))
  })
  return server
}
