// One view of every delivery target — collection triggers, standalone webhooks, HTTP cron jobs —
// with its health (docs/delivery.md) and its failed deliveries of the last 24 h, so the overview and the
// screens judge them the same way: a target whose latest delivery succeeded after others failed
// is not shown as healthy.
import type { CollectionView, CronJob, LogEntry, Page, TargetHealth, TriggerView, Webhook } from "./api_types";
import { allows } from "./scopes";
import { api } from "./api";

/** Target is a trigger, webhook or cron job seen as something deliveries go to. */
export interface Target {
  kind: "trigger" | "webhook" | "cron";
  label: string;
  url: string;
  active: boolean;
  paused: boolean;
  health: TargetHealth;
  /** recentFailures counts its deliveries of the last 24 h that are failed now. */
  recentFailures: number;
  /** logFilter finds this target's deliveries in the log. */
  logFilter: Record<string, string>;
  /** screen is where the target is managed. */
  screen: string;
}

/** TargetState is the one word that sums a target up. */
export type TargetState = "disabled" | "paused" | "inactive" | "failing" | "unsteady" | "active";

/** targetState: disabled, paused, inactive, failing (the latest ones failed), unsteady (some recent ones failed) or active. */
export function targetState(t: {
  active: boolean;
  paused?: boolean;
  health?: Partial<TargetHealth> | null;
  recentFailures?: number;
}): TargetState {
  if (t.health?.disabledAt) return "disabled";
  if (t.paused) return "paused";
  if (!t.active) return "inactive";
  if ((t.health?.consecutiveFailures ?? 0) > 0) return "failing";
  if ((t.recentFailures ?? 0) > 0) return "unsteady";
  return "active";
}

const RECENT_MS = 24 * 3_600_000;
const RECENT_CAP = 500;

/** failureKey names a delivery's target the way recentFailures counts it. */
function failureKey(row: Pick<LogEntry, "trigger_id" | "webhook" | "cron_job">): string {
  return row.trigger_id ? `trigger:${row.trigger_id}` : row.webhook ? `webhook:${row.webhook}` : `cron:${row.cron_job}`;
}

/** recentFailures counts the failed deliveries of the last 24 h per target (the newest RECENT_CAP, in one read). */
export async function recentFailures(): Promise<Map<string, number>> {
  const since = new Date(Date.now() - RECENT_MS).toISOString();
  const page = await api<Page<LogEntry>>(
    "GET",
    `/api/webhooks/logs?status=failed&since=${since}&perPage=${RECENT_CAP}`,
  );
  const counts = new Map<string, number>();
  for (const row of page.items) counts.set(failureKey(row), (counts.get(failureKey(row)) ?? 0) + 1);
  return counts;
}

/** loadTargets fetches every target from the three APIs, skipping those the signed-in key may not read. */
export async function loadTargets(): Promise<Target[]> {
  const [collections, webhooks, cron, failures] = await Promise.all([
    allows("collections:read")
      ? api<Page<CollectionView>>("GET", "/api/collections?perPage=500")
      : { items: [] as CollectionView[] },
    allows("webhooks:read") ? api<Webhook[]>("GET", "/api/webhooks") : [],
    allows("cron:read") ? api<CronJob[]>("GET", "/api/cron") : [],
    allows("logs:read") ? recentFailures() : new Map<string, number>(),
  ]);
  const triggers = collections.items.flatMap((c) =>
    (c.options.triggers as TriggerView[]).map(
      (t): Target => ({
        kind: "trigger",
        label: `${c.name} · ${t.action}`,
        url: t.url,
        active: t.active,
        paused: t.paused,
        health: t,
        recentFailures: failures.get(`trigger:${t.id}`) ?? 0,
        logFilter: { collection: c.name, trigger: t.id },
        screen: "collections",
      }),
    ),
  );
  const hooks = webhooks.map(
    (w): Target => ({
      kind: "webhook",
      label: `webhook ${w.name}`,
      url: w.url,
      active: w.active,
      paused: w.paused,
      health: w,
      recentFailures: failures.get(`webhook:${w.name}`) ?? 0,
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
        url: j.url ?? "",
        active: j.active,
        paused: j.paused,
        health: j,
        recentFailures: failures.get(`cron:${j.name}`) ?? 0,
        logFilter: { source: "cron", cronJob: j.name },
        screen: "cron",
      }),
    );
  return [...triggers, ...hooks, ...jobs];
}
