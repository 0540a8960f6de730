// The scopes an API key may hold (docs/security.md), and the one rule for whether a set of granted
// scopes covers the scope a request needs. The admin token holds `admin`, which covers all.

/** SCOPES are the scopes a key may be given; the NARROWABLE_SCOPES also take `:<name>`. */
export const SCOPES = [
  "admin",
  "collections:read",
  "collections:write",
  "records:read",
  "records:write",
  "logs:read",
  "logs:write",
  "cron:read",
  "cron:write",
  "cron:run",
  "webhooks:read",
  "webhooks:write",
  "webhooks:trigger",
  "secrets:read",
  "keys:write",
  "metrics:read",
] as const;

/** Scope is one of SCOPES, as routes and fields declare it. */
export type Scope = (typeof SCOPES)[number];

/** NARROWABLE_SCOPES may name one collection or webhook: `records:read:posts`, `webhooks:trigger:deploy`. */
export const NARROWABLE_SCOPES = ["records:read", "records:write", "webhooks:trigger"] as const;

const NARROWABLE = new Set<string>(NARROWABLE_SCOPES);

const KNOWN = new Set<string>(SCOPES);
// Collection and webhook names are identifiers; the same characters make a narrowed scope.
const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/;

/** scopeProblem says why a scope string is not one a key may hold, or null when it is. */
export function scopeProblem(scope: string): string | null {
  if (KNOWN.has(scope)) return null;
  const cut = scope.lastIndexOf(":");
  const base = scope.slice(0, cut);
  if (cut > 0 && NARROWABLE.has(base) && NAME.test(scope.slice(cut + 1))) return null;
  if (cut > 0 && KNOWN.has(base)) return `"${base}" cannot be narrowed to one name`;
  return `unknown scope "${scope}"; expected one of ${SCOPES.join(", ")} (records:read, records:write and webhooks:trigger may end in :<name>)`;
}

/** holdsScope tells whether the granted scopes cover the needed one: admin covers all, `records:read` covers `records:read:posts`. */
export function holdsScope(granted: ReadonlySet<string>, needed: string): boolean {
  if (granted.has("admin") || granted.has(needed)) return true;
  const cut = needed.lastIndexOf(":");
  return cut > 0 && NARROWABLE.has(needed.slice(0, cut)) && granted.has(needed.slice(0, cut));
}
