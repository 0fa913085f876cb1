/**
 * Which credentials an operation takes, as the OpenAPI document states it: both (`X-API-Key` alone decides
 * when present, else the bearer token), or a bearer token only for the operations no API key may ever
 * perform. `bearerOnly` marks those endpoints (or a whole group's); the document reads the mark.
 */
import { OpenApi } from "@effect/platform"
import { Context } from "effect"

/** The security schemes of the document. */
export const schemes = {
  ApiKey: { type: "apiKey", in: "header", name: "X-API-Key", description: "Server-to-server integrations: a key created under API keys." },
  Bearer: {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "Portal sessions: a JWT from the identity provider (in development, the tokens the reference server prints)."
  }
} as const

/** Either credential. */
export const either = [{ ApiKey: [] }, { Bearer: [] }]

/** A bearer token only. */
export const bearer = [{ Bearer: [] }]

/** The annotation for an endpoint (or every endpoint of a group) that only a bearer token may call. */
export const bearerOnly: Context.Context<OpenApi.Override> = Context.make(OpenApi.Override, { security: bearer })
