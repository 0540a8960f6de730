// Keeping each target's health (SPEC §9) as deliveries finish, and disabling a target that
// answered 410 Gone or has kept failing for HOOKD_DISABLE_AFTER with at least
// HOOKD_DISABLE_MIN_FAILURES failures in a row. The attempt recorder puts these statements in
// the batch that records the attempts; the arithmetic per flush is a pure function.
import type { InStatement, ResultSet } from "@libsql/client";

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
    const h = byTarget.get(r.target) ?? { target: r.target, at: r.updated_at, status: r.status, reset: 0, failures: 0, failingSince: null, gone: 0 };
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

/** DisablePolicy is HOOKD_DISABLE_AFTER (0 = never) and HOOKD_DISABLE_MIN_FAILURES. */
export interface DisablePolicy {
  disableAfterMs: number;
  disableMinFailures: number;
}

const DELTAS = `(SELECT value ->> '$.target' AS target, value ->> '$.at' AS at, value ->> '$.status' AS status, value ->> '$.reset' AS reset,
  value ->> '$.failures' AS failures, value ->> '$.failingSince' AS since, value ->> '$.gone' AS gone FROM json_each(:deltas)) AS d`;

/**
 * healthStatements apply the deltas and disable what must be: the last statement answers the
 * targets it disabled (RETURNING), read with disabledTargets. They go before the log rows'
 * update in the batch, so a retry of a target disabled in this flush is recorded as held.
 */
export function healthStatements(deltas: HealthDelta[], policy: DisablePolicy, now: Date): InStatement[] {
  if (deltas.length === 0) return [];
  const args = { deltas: JSON.stringify(deltas) };
  const cutoff = new Date(now.getTime() - policy.disableAfterMs).toISOString();
  return [
    { sql: "INSERT OR IGNORE INTO _target_health (target) SELECT value ->> '$.target' FROM json_each(:deltas)", args },
    {
      sql: `UPDATE _target_health SET last_delivery_at = d.at, last_status = d.status,
              consecutive_failures = CASE WHEN d.reset THEN d.failures ELSE _target_health.consecutive_failures + d.failures END,
              failing_since = CASE WHEN d.reset THEN d.since ELSE coalesce(_target_health.failing_since, d.since) END
            FROM ${DELTAS} WHERE _target_health.target = d.target`,
      args,
    },
    {
      sql: `UPDATE _target_health SET disabled_at = :now,
              disabled_reason = CASE WHEN d.gone THEN 'the receiver answered 410 Gone'
                ELSE 'deliveries kept failing since ' || _target_health.failing_since || ' (' || _target_health.consecutive_failures || ' in a row, no success)' END
            FROM ${DELTAS}
            WHERE _target_health.target = d.target AND _target_health.disabled_at IS NULL AND d.status = 'failed'
              AND (d.gone OR (:afterMs > 0 AND _target_health.consecutive_failures >= :minFailures AND _target_health.failing_since <= :cutoff))
            RETURNING _target_health.target AS target, disabled_reason AS reason`,
      args: { ...args, now: now.toISOString(), afterMs: policy.disableAfterMs, minFailures: policy.disableMinFailures, cutoff },
    },
  ];
}

/** disabledTargets reads what the last of healthStatements answered. */
export function disabledTargets(result: ResultSet | undefined): { target: string; reason: string }[] {
  return (result?.rows ?? []).map((r) => ({ target: String(r.target), reason: String(r.reason) }));
}
