// The REST router's declarations: every route says who may call it, as the third argument
// of `router.on` — a scope (`"cron:read"`), a scope narrowed by a path parameter
// (`{ scope: "records:read", per: "name" }` needs records:read:<name> or records:read),
// "signed-in" (any valid token) or "public". src/middleware/scopes.ts checks it before the
// handler runs; test/scopes_rest.test.ts walks every route, so a route cannot go without one.
import type { Access } from "../auth/access";
import type { NARROWABLE_SCOPES, Scope } from "../auth/scopes";
import type { RouteContext, Router } from "../lib/router";

/** RouteAccess is what a route declares about its callers. */
export type RouteAccess = Scope | { scope: (typeof NARROWABLE_SCOPES)[number]; per: string } | "signed-in" | "public";

/** ApiContext is what a REST handler gets: the request, its parameters, and who is calling. */
export interface ApiContext extends RouteContext {
  access: Access;
}

/** ApiRouter is hookd's REST router. */
export type ApiRouter = Router<RouteAccess, ApiContext>;
