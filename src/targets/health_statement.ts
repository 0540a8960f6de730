// Applying a flush's health deltas (health_update.ts) in one upsert, and disabling a target
// that answered 410 Gone or has kept failing for HOOKD_DISABLE_AFTER with at least
// HOOKD_DISABLE_MIN_FAILURES failures in a row. The attempt recorder puts the statement in the
// turn that records the attempts, and reads back which targets turned failing or disabled.
import type { InStatement, Result } from "../db/client";
import type { HealthDelta } from "./health_update";

/** DisablePolicy is HOOKD_DISABLE_AFTER (0 = never) and HOOKD_DISABLE_MIN_FAILURES. */
export interface DisablePolicy {
  disableAfterMs: number;
  disableMinFailures: number;
}

/**
 * healthStatement applies the deltas and disables what must be, in one upsert: 410 Gone at
 * once; otherwise failing since before now − disableAfterMs with at least disableMinFailures
 * failures in a row. It answers every target it touched (RETURNING); disabledTargets picks the
 * ones disabled by this very statement. One statement, so it can go beside the log rows'
 * update in the same turn without depending on the order a server runs them in.
 */
export function healthStatement(deltas: HealthDelta[], policy: DisablePolicy, now: Date): InStatement | null {
  if (deltas.length === 0) return null;
  // A delta's reset and gone flags are not columns, so the update reads them back by target.
  const flag = (name: string) =>
    `(SELECT r.value ->> '$.${name}' FROM json_each(:deltas) AS r WHERE r.value ->> '$.target' = excluded.target)`;
  const failures = `CASE WHEN ${flag("reset")} THEN excluded.consecutive_failures ELSE _target_health.consecutive_failures + excluded.consecutive_failures END`;
  const since = `CASE WHEN ${flag("reset")} THEN excluded.failing_since ELSE coalesce(_target_health.failing_since, excluded.failing_since) END`;
  const disables = (gone: string, n: string, from: string, status: string) =>
    `${status} = 'failed' AND (${gone} OR (:afterMs > 0 AND ${n} >= :minFailures AND ${from} <= :cutoff))`;
  const reason = (gone: string, n: string, from: string) =>
    `CASE WHEN ${gone} THEN 'the receiver answered 410 Gone' ELSE 'deliveries kept failing since ' || ${from} || ' (' || ${n} || ' in a row, no success)' END`;
  const v = (name: string) => `value ->> '$.${name}'`;
  return {
    sql: `INSERT INTO _target_health (target, last_delivery_at, last_status, consecutive_failures, failing_since, disabled_at, disabled_reason)
          SELECT ${v("target")}, ${v("at")}, ${v("status")}, ${v("failures")}, ${v("failingSince")},
                 CASE WHEN ${disables(v("gone"), v("failures"), v("failingSince"), v("status"))} THEN :now END,
                 CASE WHEN ${disables(v("gone"), v("failures"), v("failingSince"), v("status"))} THEN ${reason(v("gone"), v("failures"), v("failingSince"))} END
          FROM json_each(:deltas) WHERE true
          ON CONFLICT (target) DO UPDATE SET last_delivery_at = excluded.last_delivery_at, last_status = excluded.last_status,
            consecutive_failures = ${failures}, failing_since = ${since},
            disabled_reason = CASE WHEN _target_health.disabled_at IS NULL AND ${disables(flag("gone"), failures, since, "excluded.last_status")}
              THEN ${reason(flag("gone"), failures, since)} ELSE _target_health.disabled_reason END,
            disabled_at = CASE WHEN _target_health.disabled_at IS NULL AND ${disables(flag("gone"), failures, since, "excluded.last_status")}
              THEN :now ELSE _target_health.disabled_at END
          RETURNING target, disabled_at, disabled_reason, consecutive_failures, failing_since`,
    args: {
      deltas: JSON.stringify(deltas),
      now: now.toISOString(),
      afterMs: policy.disableAfterMs,
      minFailures: policy.disableMinFailures,
      cutoff: new Date(now.getTime() - policy.disableAfterMs).toISOString(),
    },
  };
}

/**
 * failingTargets picks, from what healthStatement answered, the targets whose failures in a row
 * reached `alertAfter` in this very statement (they were below it before its deltas): each is
 * told once per run of failures, whichever instance recorded the one that crossed.
 */
export function failingTargets(
  result: Result,
  deltas: HealthDelta[],
  alertAfter: number,
): { target: string; failures: number; failingSince: string | null }[] {
  const added = new Map(deltas.map((d) => [d.target, d.failures]));
  return result.rows
    .filter((r) => {
      const now = Number(r.consecutive_failures);
      return now >= alertAfter && now - (added.get(String(r.target)) ?? 0) < alertAfter;
    })
    .map((r) => ({
      target: String(r.target),
      failures: Number(r.consecutive_failures),
      failingSince: r.failing_since === null ? null : String(r.failing_since),
    }));
}

/** disabledTargets picks, from what healthStatement answered, the targets it disabled (disabled_at is its own `now`). */
export function disabledTargets(result: Result, now: Date): { target: string; reason: string }[] {
  const at = now.toISOString();
  return result.rows
    .filter((r) => r.disabled_at === at)
    .map((r) => ({ target: String(r.target), reason: String(r.disabled_reason) }));
}
