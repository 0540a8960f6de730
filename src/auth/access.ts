// Who is calling and what they may do: the admin token (every scope) or one API key.
import { ForbiddenError } from "../errors";
import { holdsScope } from "./scopes";

/** Access is the caller of one request: `actor` names it in change logs ("admin" or the key id). */
export interface Access {
  actor: string;
  scopes: ReadonlySet<string>;
  /** When the caller's key expires (ISO time); absent for the admin token and keys without expiry. */
  expiresAt?: string;
}

/** ADMIN_ACCESS is the admin token's access: it holds `admin`, which covers every scope. */
export const ADMIN_ACCESS: Access = { actor: "admin", scopes: new Set(["admin"]) };

/** can tells whether the caller holds the scope. */
export function can(access: Access, scope: string): boolean {
  return holdsScope(access.scopes, scope);
}

/** requireScope throws a 403 naming the scope when the caller does not hold it. */
export function requireScope(access: Access, scope: string): void {
  if (!can(access, scope)) throw new ForbiddenError(scope);
}

/** requireAnyScope throws a 403 naming the first scope when the caller holds none of them. */
export function requireAnyScope(access: Access, scopes: readonly [string, ...string[]]): void {
  if (!scopes.some((s) => can(access, s))) throw new ForbiddenError(scopes[0], scopes);
}

/** TRANSFORM_SETTERS are the scopes that may set a transform on some target (a trigger, a webhook, an HTTP cron job). */
export const TRANSFORM_SETTERS = ["collections:write", "webhooks:write", "cron:write"] as const;

/** refuseSqlUnlessAdmin: a SQL cron job runs any statement on the database, so only `admin` may create or change one. */
export function refuseSqlUnlessAdmin(access: Access, job: { type: string }): void {
  if (job.type === "sql") requireScope(access, "admin");
}

/**
 * refuseEventsUnlessLogsRead: a webhook that receives operational events is sent facts of every
 * target's deliveries (labels, delivery ids, errors), so making one, or changing one that
 * receives them (its URL, say), needs logs:read as well as webhooks:write.
 */
export function refuseEventsUnlessLogsRead(access: Access, ...webhooks: { events: readonly string[] | null }[]): void {
  if (webhooks.some((w) => (w.events?.length ?? 0) > 0)) requireScope(access, "logs:read");
}
