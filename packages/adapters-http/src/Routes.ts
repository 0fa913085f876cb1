/**
 * The API's routes as data: for a request path, the methods some endpoint takes there, so a known path
 * asked with another method is answered 405 with `Allow` rather than 404.
 */
import { HttpApi, type HttpApiGroup } from "@effect/platform"

/** One route: its method and a matcher for its path (`:param` segments match any one segment). */
interface Route {
  readonly method: string
  readonly path: RegExp
}

const escape = (segment: string) => segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

const matcher = (path: string): RegExp =>
  new RegExp(`^${path.split("/").map((s) => s.startsWith(":") ? "[^/]+" : escape(s)).join("/")}/?$`)

/** For a path, the methods the API's endpoints (and the `extra` routes, such as the OpenAPI document) take there. */
export const allowedMethods = <Id extends string, Groups extends HttpApiGroup.HttpApiGroup.Any, E, R>(
  api: HttpApi.HttpApi<Id, Groups, E, R>,
  extra: ReadonlyArray<{ readonly method: string; readonly path: string }> = []
): (path: string) => ReadonlyArray<string> => {
  const routes: Array<Route> = extra.map((r) => ({ method: r.method, path: matcher(r.path) }))
  HttpApi.reflect(api, {
    onGroup: () => {},
    onEndpoint: ({ endpoint }) => {
      routes.push({ method: endpoint.method, path: matcher(endpoint.path) })
    }
  })
  return (path) => [...new Set(routes.filter((r) => r.path.test(path)).map((r) => r.method))].sort()
}
