/**
 * The development stand-in for the portal's invitation page: `GET /accept?code=...`, where the printed
 * invitation links point while `AIDIAL_INVITE_ACCEPT_URL` is unset. A real portal signs the invited user in
 * and posts the code; this page shows the curl call that does the same with a development token.
 */
import { HttpApiBuilder, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Effect, type Layer } from "effect"

/** The shape of an acceptance code (`<invitation id>.<token>`); anything else is not shown back. */
const codePattern = /^[A-Za-z0-9_-]{1,64}\.[A-Za-z0-9_-]{1,128}$/

/** The page's text for `code` (already checked against the pattern, so it is safe inside single quotes), served from `origin`. */
export const text = (origin: string, code: string | null): string =>
  code === null
    ? "This invitation link has no valid code: copy the whole link from the server log.\n"
    : [
      "AiDial development server: accept this invitation as the invited user, with their bearer token",
      "(one of the export TOKEN_... lines the server printed):",
      "",
      "TOKEN=$TOKEN_NEW_PARTNER   # new.partner@example.com; $TOKEN_NEW_COLLEAGUE for new.colleague@example.com",
      `curl -s -X POST ${origin}/v1/invitations/accept -H "Authorization: Bearer $TOKEN" \\`,
      `     -H "Content-Type: application/json" -d '{"code":"${code}"}'`,
      "",
      "In production AIDIAL_INVITE_ACCEPT_URL points at the portal, which signs the user in and posts the code.",
      ""
    ].join("\n")

/** `GET /accept` on the server's router. */
export const layer: Layer.Layer<never> = HttpApiBuilder.Router.use((router) =>
  router.get(
    "/accept",
    Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const params = yield* HttpServerRequest.ParsedSearchParams
      const raw = params["code"]
      const code = typeof raw === "string" && codePattern.test(raw) ? raw : null
      const host = request.headers["host"] ?? "127.0.0.1:8787"
      return HttpServerResponse.text(text(`http://${host}`, code), { status: code === null ? 400 : 200 })
    })
  )
)
