// The one place REST checks who may call a route: the route's declaration (src/rest/api_router.ts)
// against the caller's Access. No token where one is needed is a 401; a token without the
// scope is a 403 naming it.
import { type Access, requireScope } from "../auth/access";
import { UnauthorizedError } from "../errors";
import type { RouteAccess } from "../rest/api_router";

/** ANONYMOUS is the caller of a public route who sent no token. */
export const ANONYMOUS: Access = { actor: "anonymous", scopes: new Set() };

/** neededScope is the scope a declaration asks of a request with these parameters, or null when it asks none. */
export function neededScope(declared: RouteAccess, params: Record<string, string>): string | null {
  if (declared === "public" || declared === "signed-in") return null;
  if (typeof declared === "string") return declared;
  return `${declared.scope}:${params[declared.per]}`;
}

/** authorizeRoute answers the Access a handler runs with, or throws 401 (no caller) or 403 (missing scope). */
export function authorizeRoute(declared: RouteAccess, params: Record<string, string>, caller: Access | null): Access {
  if (declared === "public") return caller ?? ANONYMOUS;
  if (!caller) throw new UnauthorizedError();
  const scope = neededScope(declared, params);
  if (scope !== null) requireScope(caller, scope);
  return caller;
}
