// One view of every delivery target — collection triggers, standalone webhooks, HTTP cron jobs —
// with its health (SPEC §9), so the overview and the screens judge them the same way.
import { allows } from "./scopes";
import { api } from "./api";

/** Health is what the server reports about a target's recent deliveries. */
export interface Health {
  lastDeliveryAt?: string | null;
  lastStatus?: string | null;
  consecutiveFailures?: number;
  failingSince?: string | null;
  disabledAt?: string | null;
  disabledReason?: string | null;
}

/** Target is a trigger, webhook or cron job seen as something deliveries go to. */
export interface Target {
  kind: "trigger" | "webhook" | "cron";
  label: string;
  url: string;
  active: boolean;
  paused: boolean;
  health: Health | null;
  /** logFilter finds this target's deliveries in the log. */
  logFilter: Record<string, string>;
  /** screen is where the target is managed. */
  screen: string;
}

/** healthOf reads the health fields of a target, wherever the server put them; null when it reports none. */
export function healthOf(t: Record<string, any>): Health | null {
  const src = t.health && typeof t.health === "object" ? t.health : t;
  return "consecutiveFailures" in src || "disabledAt" in src ? (src as Health) : null;
}

/** targetState is the one word that sums a target up: disabled, paused, inactive, failing or active. */
export function targetState(t: { active: boolean; paused?: boolean; health?: Health | null }): string {
  if (t.health?.disabledAt) return "disabled";
  if (t.paused) return "paused";
  if (!t.active) return "inactive";
  if ((t.health?.consecutiveFailures ?? 0) > 0) return "failing";
  return "active";
}

/** loadTargets fetches every target from the three APIs, skipping those the signed-in key may not read. */
export async function loadTargets(): Promise<Target[]> {
  const [collections, webhooks, cron] = await Promise.all([
    allows("collections:read") ? api<{ items: any[] }>("GET", "/api/collections?perPage=500") : { items: [] },
    allows("webhooks:read") ? api<any[]>("GET", "/api/webhooks") : [],
    allows("cron:read") ? api<any[]>("GET", "/api/cron") : [],
  ]);
  const triggers = collections.items.flatMap((c) =>
    (c.options?.triggers ?? c.triggers ?? []).map(
      (t: any): Target => ({
        kind: "trigger",
        label: `${c.name} · ${t.action}`,
        url: t.url,
        active: t.active !== false,
        paused: t.paused === true,
        health: healthOf(t),
        logFilter: t.id ? { collection: c.name, trigger: t.id } : { collection: c.name },
        screen: "collections",
      }),
    ),
  );
  const hooks = webhooks.map(
    (w): Target => ({
      kind: "webhook",
      label: `webhook ${w.name}`,
      url: w.url,
      active: w.active !== false,
      paused: w.paused === true,
      health: healthOf(w),
      logFilter: { source: "webhook", webhook: w.name },
      screen: "webhooks",
    }),
  );
  const jobs = cron
    .filter((j) => j.type === "http")
    .map(
      (j): Target => ({
        kind: "cron",
        label: `cron ${j.name}`,
        url: j.url,
        active: j.active !== false,
        paused: j.paused === true,
        health: healthOf(j),
        logFilter: { source: "cron", cronJob: j.name },
        screen: "cron",
      }),
    );
  return [...triggers, ...hooks, ...jobs];
}
