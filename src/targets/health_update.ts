// Keeping each target's health (docs/delivery.md) as deliveries finish: the arithmetic of one
// flush of the attempt recorder, as pure functions. The statement that applies it, and
// disables targets, is health_statement.ts.

/** FinishedFacts is what health needs of a recorded attempt. */
export interface FinishedFacts {
  target: string | null;
  status: "success" | "pending" | "failed";
  http_status: number | null;
  updated_at: string;
}

/** HealthDelta is what one flush changes in one target's health. */
export interface HealthDelta {
  target: string;
  at: string;
  status: "success" | "failed";
  /** reset: a success came in this flush, so failures and failingSince replace the stored ones. */
  reset: 0 | 1;
  failures: number;
  failingSince: string | null;
  /** gone: the latest failure was a 410 Gone, which disables at once. */
  gone: 0 | 1;
}

/** healthDeltas folds the finished deliveries of one flush, in order, into one change per target; retries still pending do not count. */
export function healthDeltas(records: FinishedFacts[]): HealthDelta[] {
  const byTarget = new Map<string, HealthDelta>();
  for (const r of records) {
    if (r.target === null || r.status === "pending") continue;
    const h = byTarget.get(r.target) ?? {
      target: r.target,
      at: r.updated_at,
      status: r.status,
      reset: 0,
      failures: 0,
      failingSince: null,
      gone: 0,
    };
    h.at = r.updated_at;
    h.status = r.status;
    if (r.status === "success") Object.assign(h, { reset: 1, failures: 0, failingSince: null, gone: 0 });
    else {
      h.failures++;
      h.failingSince ??= r.updated_at;
      h.gone = r.http_status === 410 ? 1 : 0;
    }
    byTarget.set(r.target, h);
  }
  return [...byTarget.values()];
}

/**
 * SuccessThrottle lets a target that keeps succeeding write its health once per interval, not
 * once per flush: at thousands of deliveries a second that write would cost as much as the
 * attempts. Anything else (a failure, the first success after one) is written at once.
 */
export class SuccessThrottle {
  private lastWritten = new Map<string, number>();

  constructor(private everyMs: number) {}

  /** filter drops the all-success deltas of targets written less than everyMs ago. */
  filter(deltas: HealthDelta[], nowMs: number): HealthDelta[] {
    return deltas.filter((d) => {
      if (d.status !== "success" || d.failures > 0) {
        this.lastWritten.delete(d.target);
        return true;
      }
      const last = this.lastWritten.get(d.target);
      if (last !== undefined && nowMs - last < this.everyMs) return false;
      this.lastWritten.set(d.target, nowMs);
      return true;
    });
  }
}
