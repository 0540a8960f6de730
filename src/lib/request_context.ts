// Who a request acts for, reachable from anything the request calls (REST handlers, GraphQL
// resolvers, the stores below them) without threading it through every signature. The auth
// layer fills it in when it accepts a token.
import { AsyncLocalStorage } from "node:async_hooks";

/** RequestContext is what is known about the request being served. */
export interface RequestContext {
  /** actor names who the request acts for: an API key's id, `admin` for the admin token; null until authenticated. */
  actor: string | null;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** withRequestContext runs `fn` with a fresh context that `fn` (and what it calls) can fill in. */
export function withRequestContext<T>(fn: () => T): T {
  return storage.run({ actor: null }, fn);
}

/** setActor records who the request being served acts for (no-op outside a request). */
export function setActor(actor: string): void {
  const ctx = storage.getStore();
  if (ctx) ctx.actor = actor;
}

/** currentActor is the actor of the request being served, or `system` outside of one (schedules, start-up). */
export function currentActor(): string {
  return storage.getStore()?.actor ?? "system";
}
