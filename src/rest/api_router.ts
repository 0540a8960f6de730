// Who may call a REST route. Every route's RouteSpec (route_spec.ts) says it in `access`, the
// second argument of each file's spec(…) helper: a scope (`"cron:read"`), a scope narrowed by a
// path parameter (`{ scope: "records:read", per: "name" }` needs records:read:<name> or
// records:read), "signed-in" (any valid token) or "public". src/middleware/scopes.ts checks it
// before the handler runs; test/auth/scopes_rest.test.ts walks every route the router lists.
import type { Access } from "../auth/access";
import type { NARROWABLE_SCOPES, Scope } from "../auth/scopes";
import type { RouteContext } from "../lib/router";

/** RouteAccess is what a route declares about its callers. */
export type RouteAccess = Scope | { scope: (typeof NARROWABLE_SCOPES)[number]; per: string } | "signed-in" | "public";

/** ApiContext is what a REST handler gets: the request, its parameters and query, and who is calling (`access.actor` names them in change logs). */
export interface ApiContext extends RouteContext {
  access: Access;
}
