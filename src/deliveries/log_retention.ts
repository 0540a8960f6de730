// Retention (docs/operating.md): finished deliveries, with their attempts, older than HOOKD_RETAIN_SUCCESS (success,
// cancelled) or HOOKD_RETAIN_FAILED (failed) are deleted, oldest first, BATCH_SIZE rows per
// statement with a turn of the event loop between, by one instance at a time (a _jobs lease).
// pending, held and processing rows are never touched: only finished statuses are named.
import type { Config } from "../config";
import type { Db } from "../db/client";
import type { Clock } from "../runtime/clock";
import type { Logger } from "../runtime/logger";
import { repeatPass, type RepeatedPass } from "../runtime/repeated_pass";
import type { Timers } from "../runtime/timers";
import { pruneIdempotencyKeys } from "../db/idempotency_store";
import { claimJob } from "./job_lease";

const DAY_MS = 24 * 60 * 60 * 1000;

/** BATCH_SIZE rows are deleted per statement. */
export const BATCH_SIZE = 500;

const JOB = "retention";

/** RetentionResult is what one pass deleted, per status. */
export type RetentionResult = Record<"success" | "cancelled" | "failed", number>;

type RetentionDeps = { db: Db; clock: Clock; config: Config; log: Logger };

/** retentionCutoffs answers, per finished status, the age after which it goes (none when kept forever). */
export function retentionCutoffs(
  config: RetentionDeps["config"],
  now: Date,
): Partial<Record<keyof RetentionResult, string>> {
  const cutoff = (ms: number) => (ms > 0 ? new Date(now.getTime() - ms).toISOString() : undefined);
  const success = cutoff(config.retainSuccessMs);
  return { success, cancelled: success, failed: cutoff(config.retainFailedMs) };
}

/**
 * runRetentionPass claims the retention job and deletes what is due, or answers null when
 * another instance holds it or ran it less than HOOKD_RETENTION_EVERY ago. Age counts from
 * updated_at (when the delivery finished); created_at <= updated_at bounds the index walk.
 */
export async function runRetentionPass(deps: RetentionDeps): Promise<RetentionResult | null> {
  const { db, clock, config } = deps;
  const lease = await claimJob(db, JOB, config.instanceId, clock.now(), config.leaseMs);
  if (!lease) return null;
  const result: RetentionResult = { success: 0, cancelled: 0, failed: 0 };
  try {
    let renewedAt = Date.now();
    for (const [status, cutoff] of Object.entries(retentionCutoffs(config, clock.now())) as [
      keyof RetentionResult,
      string | undefined,
    ][]) {
      if (!cutoff) continue;
      while (true) {
        // Their attempts go with them (the _webhook_attempts_forget trigger of migration 005).
        const rs = await db.execute({
          sql: `DELETE FROM _webhook_logs WHERE rowid IN (
                  SELECT rowid FROM _webhook_logs WHERE status = ? AND created_at < ? AND updated_at < ? ORDER BY created_at LIMIT ${BATCH_SIZE})`,
          args: [status, cutoff, cutoff],
        });
        result[status] += rs.rowsAffected;
        if (rs.rowsAffected < BATCH_SIZE) break;
        if (Date.now() - renewedAt > config.leaseMs / 3) await lease.renew(clock.now()), (renewedAt = Date.now());
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    // Idempotency-Key answers are kept a day, whatever the log's retention.
    while ((await pruneIdempotencyKeys(db, clock.now(), BATCH_SIZE)) === BATCH_SIZE)
      await new Promise((resolve) => setImmediate(resolve));
    // A rate limit's send slot a day old holds nothing back (a deleted target's, say): it goes.
    await db.execute({ sql: "DELETE FROM _target_throttle WHERE next_at < ?", args: [clock.now().getTime() - DAY_MS] });
  } finally {
    await lease.finish(clock.now(), config.retentionEveryMs, result);
  }
  const deleted = result.success + result.cancelled + result.failed;
  if (deleted > 0) deps.log.info("retention deleted finished deliveries", { ...result });
  else deps.log.debug("retention pass found nothing to delete", {});
  return result;
}

/** startRetention tries a pass now and then every HOOKD_RETENTION_EVERY; the _jobs lease keeps it to one instance. */
export function startRetention(deps: RetentionDeps & { timers: Timers }): RepeatedPass {
  return repeatPass(
    deps,
    deps.config.retentionEveryMs,
    () => runRetentionPass(deps),
    "retention pass failed; the next one tries again",
  );
}
