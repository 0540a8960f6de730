// Prometheus metrics (docs/operating.md, Metrics) on a per-app prom-client Registry (each test app has its own).
// Counters on the delivery hot path are in-memory increments; the queue gauges are read from
// the database only when scraped, so they agree across every instance sharing it.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Db } from "../db/client";
import type { Clock } from "../runtime/clock";
import { TARGET_KEYS_SQL } from "../targets/target_key";
import type { Delivery } from "../deliveries/delivery_row";
import { deliveryTargetLabel, TARGET_LABELS_SQL } from "../targets/target_label";
import { Tally } from "./tally";

/** Delivered is what deliveryThrottled reads of a delivery: what names its target. */
export type Delivered = Pick<Delivery, "source" | "collection" | "webhook" | "cronJob" | "target">;

/** Metrics is what hookd's parts report to; `registry` renders the scrape. */
export interface Metrics {
  registry: Registry;
  /** deliveryFinished counts a delivery that reached a final state (success or failed); target is its label (target_label.ts). */
  deliveryFinished(source: string, status: string, target: string): void;
  /** attemptFinished counts one HTTP attempt by its retry-policy outcome and observes its duration. */
  attemptFinished(source: string, outcome: "success" | "retry" | "final", seconds: number, target: string): void;
  /** deliveryThrottled counts a delivery held back by its target's rateLimit or maxInFlight until `until`. */
  deliveryThrottled(d: Delivered, until: Date): void;
  /** cronRun counts a finished, failed or skipped cron run. */
  cronRun(status: string): void;
  /** httpRequest counts one answered API request; route is the router's pattern, never a raw path. */
  httpRequest(method: string, route: string, status: number): void;
}

const QUEUED = ["pending", "processing", "held"] as const;
const SOURCES = ["trigger", "webhook", "cron"] as const;
const FINAL = ["success", "failed"] as const;

// Attempt outcomes as a scraper reads them: "retry" would suggest the delivery was retried,
// which the last allowed attempt is not.
const OUTCOME_LABEL = { success: "success", retry: "error", final: "rejected" } as const;

/** createMetrics builds a registry with hookd's metrics and the process's own (CPU, memory, event loop). */
export function createMetrics(db: Db, clock: Clock): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  // The target label is bounded by the targets that exist: a scrape drops the series of a
  // deleted (or renamed) one.
  const currentLabels = async () =>
    new Map((await db.execute(TARGET_LABELS_SQL)).rows.map((r) => [String(r.target), String(r.label)]));
  // Targets counted by this process, so a scrape knows which series may have to go.
  const counted = new Set<string>();
  // The registry reads its metrics side by side: both counters wait for the one pruning.
  let pruning: Promise<void> | null = null;
  const dropGoneTargets = () =>
    (pruning ??= (async () => {
      const live = new Set((await currentLabels()).values());
      for (const target of counted) {
        if (live.has(target)) continue;
        counted.delete(target);
        for (const source of SOURCES) {
          for (const status of FINAL) deliveries.remove({ source, status, target });
          for (const outcome of Object.values(OUTCOME_LABEL)) attempts.remove({ source, outcome, target });
        }
        throttled.remove({ target });
        throttledUntil.delete(target);
      }
    })().finally(() => (pruning = null)));
  // Hot-path counts, handed to their counters when a scrape reads them (tally.ts).
  const deliveryTally = new Tally<"source" | "status" | "target">();
  const attemptTally = new Tally<"source" | "outcome" | "target">();
  const requestTally = new Tally<"method" | "route" | "status">();
  const deliveries = new Counter({
    name: "hookd_deliveries_total",
    help: "Deliveries that reached a final state, by target (<collection>/<trigger id>, webhook/<name>, cron/<name>)",
    labelNames: ["source", "status", "target"],
    registers,
    collect() {
      deliveryTally.flushInto(this);
      return dropGoneTargets();
    },
  });
  const attempts = new Counter({
    name: "hookd_delivery_attempts_total",
    registers,
    labelNames: ["source", "outcome", "target"],
    collect() {
      attemptTally.flushInto(this);
      return dropGoneTargets();
    },
    help: "HTTP attempts by outcome: success (2xx), error (network error, timeout, 5xx, 408, 429: worth retrying), rejected (any other answer, or refused by the outbound guard)",
  });
  const duration = new Histogram({
    name: "hookd_delivery_attempt_duration_seconds",
    help: "Duration of HTTP attempts",
    registers,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  });
  const cronRuns = new Counter({
    name: "hookd_cron_runs_total",
    help: "Cron runs by how they ended (success, failed, skipped)",
    labelNames: ["status"],
    registers,
  });
  new Counter({
    name: "hookd_http_requests_total",
    help: "API requests answered",
    labelNames: ["method", "route", "status"],
    registers,
    collect() {
      requestTally.flushInto(this);
    },
  });

  new Gauge({
    name: "hookd_deliveries_queued",
    help: "Deliveries not finished, by status (read from the database at scrape time)",
    labelNames: ["status"],
    registers,
    async collect() {
      const rs = await db.execute(
        "SELECT status, count(*) AS n FROM _webhook_logs WHERE status IN ('pending', 'processing', 'held') GROUP BY status",
      );
      const counts = new Map(rs.rows.map((r) => [String(r.status), Number(r.n)]));
      for (const status of QUEUED) this.set({ status }, counts.get(status) ?? 0);
    },
  });
  new Gauge({
    name: "hookd_delivery_backlog_seconds",
    help: "Age of the oldest delivery that is due and not yet claimed (0 when none)",
    registers,
    async collect() {
      const now = clock.now();
      // The claim's partial index (migration 004) holds pending rows by next_attempt_at: the oldest is its first entry.
      const rs = await db.execute({
        sql: "SELECT min(next_attempt_at) AS due FROM _webhook_logs INDEXED BY _webhook_logs_pending_due WHERE status = 'pending' AND next_attempt_at <= ?",
        args: [now.toISOString()],
      });
      const due = rs.rows[0]?.due;
      this.set(due === null || due === undefined ? 0 : Math.max(0, (now.getTime() - Date.parse(String(due))) / 1000));
    },
  });
  new Gauge({
    name: "hookd_targets_disabled",
    help: "Triggers, webhooks and cron jobs disabled by their health (auto-disable)",
    registers,
    async collect() {
      // Health rows outlive a deleted target; only targets that still exist count.
      const rs = await db.execute(
        `SELECT count(*) AS n FROM _target_health WHERE disabled_at IS NOT NULL AND target IN (SELECT target FROM (${TARGET_KEYS_SQL}))`,
      );
      this.set(Number(rs.rows[0]?.n ?? 0));
    },
  });

  new Gauge({
    name: "hookd_target_disabled",
    help: "1 for each trigger, webhook or cron job disabled by its health (auto-disable), 0 for the others",
    labelNames: ["target"],
    registers,
    async collect() {
      const [labels, rs] = await Promise.all([
        currentLabels(),
        db.execute("SELECT target FROM _target_health WHERE disabled_at IS NOT NULL"),
      ]);
      const disabled = new Set(rs.rows.map((r) => String(r.target)));
      this.reset();
      for (const [key, target] of labels) this.set({ target }, disabled.has(key) ? 1 : 0);
    },
  });

  // Per target: until when this instance holds its deliveries back (throttle.ts).
  const throttledUntil = new Map<string, number>();
  const throttled = new Counter({
    name: "hookd_deliveries_throttled_total",
    help: "Times a delivery was held back by its target's rateLimit or maxInFlight (it waits as pending, no attempt used)",
    labelNames: ["target"],
    registers,
    collect: dropGoneTargets,
  });
  new Gauge({
    name: "hookd_target_throttled",
    help: "1 while this instance holds back deliveries of the target (rateLimit or maxInFlight), else 0",
    labelNames: ["target"],
    registers,
    collect() {
      const now = clock.now().getTime();
      this.reset();
      for (const [target, until] of throttledUntil) {
        this.set({ target }, until > now ? 1 : 0);
        if (until <= now) throttledUntil.delete(target);
      }
    },
  });

  return {
    registry,
    deliveryThrottled: (d, until) => {
      const target = deliveryTargetLabel(d);
      counted.add(target);
      throttled.inc({ target });
      throttledUntil.set(target, Math.max(throttledUntil.get(target) ?? 0, until.getTime()));
    },
    deliveryFinished: (source, status, target) =>
      deliveryTally.add(`${source} ${status} ${target}`, () => ({ source, status, target })),
    attemptFinished: (source, outcome, seconds, target) => {
      counted.add(target);
      attemptTally.add(`${source} ${outcome} ${target}`, () => ({ source, outcome: OUTCOME_LABEL[outcome], target }));
      duration.observe(seconds);
    },
    cronRun: (status) => cronRuns.inc({ status }),
    httpRequest: (method, route, status) =>
      requestTally.add(`${method} ${status} ${route}`, () => ({ method, route, status: String(status) })),
  };
}
