// backlog.stale (docs/operating.md, Alerts: operational events): when the oldest due delivery has waited longer than
// HOOKD_ALERT_BACKLOG, one log line and one event per stale spell (told again only after the
// backlog caught up). One instance checks at a time (the _jobs lease); whether the backlog was
// already stale is kept with the job, so a check on another instance does not tell it twice.
import { claimJob } from "../deliveries/job_lease";
import type { Config } from "../config";
import type { Db } from "../db/client";
import type { Clock } from "../runtime/clock";
import type { Logger } from "../runtime/logger";
import { repeatPass, type RepeatedPass } from "../runtime/repeated_pass";
import type { Timers } from "../runtime/timers";
import type { OpsEvents } from "./ops_events";

const JOB = "backlog_watch";

type WatchDeps = { db: Db; clock: Clock; config: Config; log: Logger; ops: OpsEvents; timers: Timers };

/** checkBacklog runs one check when it is due here; answers whether the backlog is stale (null: not this instance's turn). */
export async function checkBacklog(deps: WatchDeps, everyMs: number): Promise<boolean | null> {
  const { db, clock, config } = deps;
  const now = clock.now();
  const lease = await claimJob(db, JOB, config.instanceId, now, Math.max(everyMs, 10_000));
  if (!lease) return null;
  let stale = false;
  try {
    const [before, oldest] = await db.batch(
      [
        { sql: "SELECT last_result FROM _jobs WHERE name = ?", args: [JOB] },
        {
          sql: "SELECT min(next_attempt_at) AS due FROM _webhook_logs INDEXED BY _webhook_logs_pending_due WHERE status = 'pending' AND next_attempt_at <= ?",
          args: [now.toISOString()],
        },
      ],
      "read",
    );
    const due = oldest!.rows[0]?.due;
    const ageMs = due === null || due === undefined ? 0 : now.getTime() - Date.parse(String(due));
    stale = ageMs > config.alertBacklogMs;
    const wasStale = JSON.parse(String(before!.rows[0]?.last_result ?? "{}"))?.stale === true;
    if (stale && !wasStale) {
      const data = {
        oldestDueAt: String(due),
        ageSeconds: Math.round(ageMs / 1000),
        thresholdSeconds: config.alertBacklogMs / 1000,
      };
      deps.log.warn("deliveries are waiting longer than HOOKD_ALERT_BACKLOG", data);
      await deps.ops.emit("backlog.stale", data);
    } else if (!stale && wasStale) deps.log.info("the delivery backlog caught up", {});
  } finally {
    await lease.finish(clock.now(), everyMs, { stale });
  }
  return stale;
}

/** startBacklogWatch checks every few seconds (a fifth of HOOKD_ALERT_BACKLOG, at most 30 s) until stopped. */
export function startBacklogWatch(deps: WatchDeps): RepeatedPass {
  const everyMs = Math.max(1000, Math.min(30_000, deps.config.alertBacklogMs / 5));
  return repeatPass(
    deps,
    everyMs,
    () => checkBacklog(deps, everyMs),
    "checking the delivery backlog failed; the next check tries again",
  );
}
