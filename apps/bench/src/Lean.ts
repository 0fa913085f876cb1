/**
 * The lean reference: the reference server's API-key `GET /v1/projects` with this project's structure taken
 * away and the request's necessary work kept, in the same framework. The same endpoint definition
 * (`ProjectsApi`'s `listProjects`: its query parameters and success schema) behind one middleware that
 * provides the caller, as `Authentication` does, and an API-wide middleware that stamps the request id. The work:
 * the key checked with `ApiKey.parse`, its HMAC-SHA-256 digest compared in constant time with the one read by a
 * prepared statement (with the key's status, expiry and environment and its client's status; a row read before is
 * remembered until `PRAGMA data_version` moves, as the server remembers it), one take from a
 * per-key window, the usage counted by key, minute and status and written every 1,000 requests (one upsert a count, as
 * the server's buffer sums a batch before writing it), the projects page read by a prepared
 * statement, and the server's headers and body. No ports, use cases, policies, audit events, remembered rows or
 * problem documents (a refusal is a bare 401 or 429). The gap between it and the server is this project's own
 * structure; the gap between it and the ceiling is the work and the framework's cost of one providing middleware.
 *
 * The bearer-token `GET /v1/clients` alike: `TenancyApi`'s `listClients` declared the same way behind a middleware
 * that verifies the token with `jose` on first sight and then remembers it until its `exp` (as the server does),
 * reads the user by subject, their membership and their partner organisation with prepared statements, notes the
 * user active and takes from the user's window; then the organisation's page of clients (a partner admin's view;
 * any other membership is a bare 403 here).
 */
import {
  HttpApi,
  HttpApiBuilder,
  HttpApiEndpoint,
  HttpApiError,
  HttpApiGroup,
  HttpApiMiddleware,
  HttpApiSchema,
  HttpApp,
  HttpServerRequest,
  HttpServerResponse
} from "@effect/platform"
import { Cursor, ProjectsApi, TenancyApi } from "@aidial/adapters-http"
import { ApiKey, Ids, Tenancy } from "@aidial/domain"
import SqliteDatabase from "better-sqlite3"
import { Context, Effect, Layer, Schema } from "effect"
import * as Jose from "jose"
import { createHmac, timingSafeEqual } from "node:crypto"

class Caller extends Context.Tag("bench/lean/Caller")<Caller, {
  readonly keyId: string
  readonly clientId: string
  readonly environment: string
}>() {}

class TooManyRequests extends Schema.TaggedError<TooManyRequests>()("TooManyRequests", {}, HttpApiSchema.annotations({ status: 429 })) {}

class KeyAuthentication extends HttpApiMiddleware.Tag<KeyAuthentication>()("bench/lean/KeyAuthentication", {
  provides: Caller,
  failure: Schema.Union(HttpApiError.Unauthorized, TooManyRequests)
}) {}

/** `ProjectsApi`'s `listProjects`, declared alike: the same query parameters and success schema. */
class Projects extends HttpApiGroup.make("projects").add(
  HttpApiEndpoint.get("listProjects", "/projects")
    .setUrlParams(Schema.Struct({
      ...Cursor.PageParams,
      client_id: Schema.optional(Ids.ClientId),
      environment: Schema.optional(Tenancy.DataEnvironment)
    }))
    .addSuccess(ProjectsApi.ProjectList)
).middleware(KeyAuthentication) {}

class Member extends Context.Tag("bench/lean/Member")<Member, {
  readonly userId: string
  readonly partnerOrgId: string
}>() {}

class TokenAuthentication extends HttpApiMiddleware.Tag<TokenAuthentication>()("bench/lean/TokenAuthentication", {
  provides: Member,
  failure: Schema.Union(HttpApiError.Unauthorized, HttpApiError.Forbidden, TooManyRequests)
}) {}

/** `TenancyApi`'s `listClients`, declared alike. */
class Clients extends HttpApiGroup.make("clients").add(
  HttpApiEndpoint.get("listClients", "/clients").setUrlParams(Schema.Struct(Cursor.PageParams)).addSuccess(TenancyApi.ClientList)
).middleware(TokenAuthentication) {}

const api = HttpApi.make("lean").add(Projects).add(Clients).prefix("/v1")

interface KeyRow {
  readonly digest_hex: string
  readonly status: string
  readonly expires_at: number | null
  readonly client_id: string
  readonly environment: string
  readonly client_status: string | null
}

interface ProjectRow {
  readonly id: string
  readonly client_id: string
  readonly environment: string
  readonly display_name: string
  readonly timezone: string
  readonly is_active: number
}

interface MemberRow {
  readonly user_id: string
  readonly kind: string
  readonly role: string
  readonly partner_org_id: string | null
}

interface ClientRow {
  readonly id: string
  readonly partner_org_id: string | null
  readonly name: string
  readonly status: string
  readonly created_at: number
}

export interface Options {
  /** The reference server's SQLite file, seeded. */
  readonly filename: string
  readonly pepper: string
  /** The development token secret, issuer and audience the server verifies bearer tokens with (HS256). */
  readonly jwtSecret: string
  readonly issuer: string
  readonly audience: string
  /** Requests per key and window, and the window in seconds (the server's `AIDIAL_RATE_LIMIT`). */
  readonly requests: number
  readonly windowSeconds: number
}

/** A page as the server sends it: the first `limit` rows under `name`, and the cursor after the last when there are more. */
const pageBody = <Row extends { readonly id: string }>(
  name: string,
  rows: ReadonlyArray<Row>,
  limit: number,
  wire: (row: Row) => unknown
) => {
  const items = rows.slice(0, limit)
  const last = items[items.length - 1]
  return HttpServerResponse.unsafeJson({
    [name]: items.map(wire),
    next_cursor: rows.length > limit && last !== undefined ? Cursor.encode(last.id) : null
  })
}

/** How many requests' usage is counted before it is written (the server's buffer writes at the same size). */
const usageBatchSize = 1000

/** The lean API over the server's file; its two connections close with the layer. */
export const layer = (options: Options): Layer.Layer<HttpApi.Api> =>
  Layer.unwrapScoped(Effect.map(
    Effect.acquireRelease(
      Effect.sync(() => ({ reader: new SqliteDatabase(options.filename, { readonly: true }), writer: new SqliteDatabase(options.filename) })),
      ({ reader, writer }) => Effect.sync(() => {
        reader.close()
        writer.close()
      })
    ),
    ({ reader, writer }) => {
      const keyRead = reader.prepare<[string], KeyRow>(
        `select k.digest_hex, k.status, k.expires_at, k.client_id, k.environment,
           (select c.status from clients c where c.id = k.client_id) as client_status
         from api_keys k where k.id = ?`
      )
      const pageRead = reader.prepare<[string, string, string | null, string | null, number], ProjectRow>(
        `select id, client_id, environment, display_name, timezone, is_active from projects
         where client_id = ? and environment = ? and (? is null or id > ?) order by id limit ?`
      )
      const memberRead = reader.prepare<[string], MemberRow>(
        `select m.user_id, m.kind, m.role, m.partner_org_id from users u join memberships m on m.user_id = u.id where u.subject = ?`
      )
      const orgRead = reader.prepare<[string], { readonly status: string }>(`select status from partner_orgs where id = ?`)
      const clientsRead = reader.prepare<[string, string | null, string | null, number], ClientRow>(
        `select id, partner_org_id, name, status, created_at from clients
         where partner_org_id = ? and (? is null or id > ?) order by id limit ?`
      )
      const jwtKey = new TextEncoder().encode(options.jwtSecret)
      const tokens = new Map<string, { readonly subject: string; readonly until: number }>()
      const active = new Map<string, number>()
      const usageWrite = writer.prepare<[string, number, number, number]>(
        `insert into api_key_usage (key_id, minute, status, count) values (?, ?, ?, ?)
         on conflict (key_id, minute, status) do update set count = count + excluded.count`
      )
      const writeUsage = writer.transaction((counts: ReadonlyMap<string, { readonly keyId: string; readonly minute: number; readonly status: number; readonly count: number }>) => {
        for (const { count, keyId, minute, status } of counts.values()) usageWrite.run(keyId, minute, status, count)
      })
      const hmacKey = Buffer.from(options.pepper, "utf8")
      const windows = new Map<string, { start: number; used: number }>()
      let usage = new Map<string, { readonly keyId: string; readonly minute: number; readonly status: number; count: number }>()
      let counted = 0
      let requests = 0
      const quota = `"default";q=${options.requests};w=${options.windowSeconds}`
      const windowMs = options.windowSeconds * 1000

      // Key rows remembered until the database changes, as the server's verification read remembers them: a
      // remembered row costs one `PRAGMA data_version` (read before the row, so a row is never newer than its version).
      const dataVersion = reader.prepare<[], number>("PRAGMA data_version").pluck()
      const remembered = new Map<string, { readonly row: KeyRow; readonly version: number }>()
      const keyRow = (id: string): KeyRow | undefined => {
        const version = dataVersion.get()
        const hit = remembered.get(id)
        if (hit !== undefined && hit.version === version) return hit.row
        const row = keyRead.get(id)
        if (row === undefined) remembered.delete(id)
        else if (remembered.size < 1024 || remembered.has(id)) remembered.set(id, { row, version: version ?? -1 })
        return row
      }

      const verify = (plaintext: string | undefined, now: number) => {
        if (plaintext === undefined) return null
        const parsed = ApiKey.parse(plaintext)
        if (parsed._tag === "Left") return null
        const row = keyRow(parsed.right.id)
        if (row === undefined) return null
        const actual = createHmac("sha256", hmacKey).update(plaintext, "utf8").digest()
        const expected = Buffer.from(row.digest_hex, "hex")
        if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return null
        if (row.status !== "active" || (row.expires_at !== null && row.expires_at <= now) || row.client_status !== "active") return null
        if (row.environment !== parsed.right.environment) return null
        return { keyId: parsed.right.id, clientId: row.client_id, environment: row.environment }
      }

      const take = (keyId: string, now: number) => {
        let window = windows.get(keyId)
        if (window === undefined || now - window.start >= windowMs) {
          window = { start: now - (now % windowMs), used: 0 }
          windows.set(keyId, window)
        }
        window.used++
        return {
          allowed: window.used <= options.requests,
          headers: {
            "ratelimit-policy": quota,
            ratelimit: `"default";r=${Math.max(0, options.requests - window.used)};t=${Math.ceil((window.start + windowMs - now) / 1000)}`
          }
        }
      }

      const record = (keyId: string, at: number, status: number) => {
        const minute = at - (at % 60_000)
        const id = `${keyId}\u0000${minute}\u0000${status}`
        const entry = usage.get(id)
        if (entry === undefined) usage.set(id, { keyId, minute, status, count: 1 })
        else entry.count++
        if (++counted >= usageBatchSize) {
          const batch = usage
          usage = new Map()
          counted = 0
          writeUsage(batch)
        }
      }

      const authentication = Layer.succeed(
        KeyAuthentication,
        Effect.flatMap(HttpServerRequest.HttpServerRequest, (request): Effect.Effect<Caller["Type"], HttpApiError.Unauthorized | TooManyRequests> => {
          const now = Date.now()
          const caller = verify(request.headers["x-api-key"], now)
          if (caller === null) return Effect.fail(new HttpApiError.Unauthorized())
          const decision = take(caller.keyId, now)
          const hook = HttpApp.appendPreResponseHandler((_, response) => {
            record(caller.keyId, now, response.status)
            return Effect.succeed(HttpServerResponse.setHeaders(response, decision.headers))
          })
          return decision.allowed ? Effect.as(hook, caller) : Effect.zipRight(hook, Effect.fail(new TooManyRequests()))
        })
      )

      const subjectOf = (token: string, now: number): Effect.Effect<string | null> => {
        const known = tokens.get(token)
        if (known !== undefined && known.until > now) return Effect.succeed(known.subject)
        return Effect.promise(() =>
          Jose.jwtVerify(token, jwtKey, { issuer: options.issuer, audience: options.audience, algorithms: ["HS256"] }).then(
            ({ payload }) => {
              if (typeof payload.sub !== "string" || typeof payload.exp !== "number") return null
              tokens.set(token, { subject: payload.sub, until: payload.exp * 1000 })
              return payload.sub
            },
            () => null
          )
        )
      }

      const tokenAuthentication = Layer.succeed(
        TokenAuthentication,
        Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
          const now = Date.now()
          const authorization = request.headers["authorization"]
          if (authorization === undefined || !authorization.startsWith("Bearer ")) return Effect.fail(new HttpApiError.Unauthorized())
          return Effect.flatMap(
            subjectOf(authorization.slice(7), now),
            (subject): Effect.Effect<Member["Type"], HttpApiError.Unauthorized | HttpApiError.Forbidden | TooManyRequests> => {
              if (subject === null) return Effect.fail(new HttpApiError.Unauthorized())
              const member = memberRead.get(subject)
              if (member === undefined) return Effect.fail(new HttpApiError.Unauthorized())
              active.set(member.user_id, now)
              if (member.kind !== "PartnerMembership" || member.role !== "partner_admin" || member.partner_org_id === null) {
                return Effect.fail(new HttpApiError.Forbidden())
              }
              if (orgRead.get(member.partner_org_id) === undefined) return Effect.fail(new HttpApiError.Unauthorized())
              const decision = take(member.user_id, now)
              const hook = HttpApp.appendPreResponseHandler((_, response) =>
                Effect.succeed(HttpServerResponse.setHeaders(response, decision.headers)))
              const found = { userId: member.user_id, partnerOrgId: member.partner_org_id }
              return decision.allowed ? Effect.as(hook, found) : Effect.zipRight(hook, Effect.fail(new TooManyRequests()))
            }
          )
        })
      )

      const clientHandlers = HttpApiBuilder.group(api, "clients", (h) =>
        h.handle("listClients", ({ urlParams }) =>
          Effect.map(Member, (member) => {
            const page = Cursor.pageRequest(urlParams)
            const rows = clientsRead.all(member.partnerOrgId, page.after, page.after, page.limit + 1)
            return pageBody("clients", rows, page.limit, (c) => ({
              client_id: c.id,
              partner_org_id: c.partner_org_id,
              name: c.name,
              status: c.status,
              created_at: new Date(c.created_at).toISOString()
            }))
          })))

      const handlers = HttpApiBuilder.group(api, "projects", (h) =>
        h.handle("listProjects", ({ urlParams }) =>
          Effect.map(Caller, (caller) => {
            const page = Cursor.pageRequest(urlParams)
            const rows = pageRead.all(caller.clientId, caller.environment, page.after, page.after, page.limit + 1)
            return pageBody("projects", rows, page.limit, (p) => ({
              project_id: p.id,
              client_id: p.client_id,
              display_name: p.display_name,
              timezone: p.timezone,
              is_active: p.is_active === 1,
              environment: p.environment
            }))
          })))

      const requestId = HttpApiBuilder.middleware((app) =>
        Effect.map(app, (response) => HttpServerResponse.setHeader(response, "x-request-id", `req_${++requests}`)))

      return Layer.mergeAll(HttpApiBuilder.api(api), requestId).pipe(
        Layer.provide(Layer.mergeAll(handlers, clientHandlers)),
        Layer.provide(Layer.mergeAll(authentication, tokenAuthentication))
      )
    }
  ))
