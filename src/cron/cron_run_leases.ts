// A run in progress and the instance running it: the lease it renews (so no other instance
// thinks it abandoned), a stop asked for through the API and read by that instance, and the
// runs whose instance stopped mid-run, marked failed.
import type { InStatement, Row } from "../db/client";
import type { Deps } from "../deps";

/** STOP_REQUESTED marks a running run that the API asked to stop, for the instance running it. */
export const STOP_REQUESTED = "stop requested through the API";

/** RunState is what the instance running a run learns when it renews its lease. */
export type RunState = "running" | "stop requested" | "closed";

/** renewRunLease keeps a long run owned by this instance so no other instance thinks it abandoned; it answers the run's state. */
export async function renewRunLease(deps: Pick<Deps, "db" | "config" | "clock">, runId: string): Promise<RunState> {
  const until = new Date(deps.clock.now().getTime() + deps.config.leaseMs).toISOString();
  const rs = await deps.db.execute({
    sql: "UPDATE _cron_runs SET lease_expires_at = ? WHERE id = ? AND status = 'running' RETURNING error",
    args: [until, runId],
  });
  return runState(rs.rows[0]);
}

/** readRunState answers a run's state without writing (asked often while a SQL job runs). */
export async function readRunState({ db }: Pick<Deps, "db">, runId: string): Promise<RunState> {
  const rs = await db.execute({
    sql: "SELECT error FROM _cron_runs WHERE id = ? AND status = 'running'",
    args: [runId],
  });
  return runState(rs.rows[0]);
}

function runState(row: Row | undefined): RunState {
  if (!row) return "closed";
  return row.error === STOP_REQUESTED ? "stop requested" : "running";
}

/** requestStop asks the instance running a run to stop it; it answers false when the run is no longer running. */
export async function requestStop({ db }: Pick<Deps, "db">, runId: string): Promise<boolean> {
  const rs = await db.execute({
    sql: "UPDATE _cron_runs SET error = ? WHERE id = ? AND status = 'running'",
    args: [STOP_REQUESTED, runId],
  });
  return rs.rowsAffected === 1;
}

/** abandonStatement fails the running runs `where` selects: their instance stopped before they finished. */
export function abandonStatement(where: string, args: (string | number)[], now: string): InStatement {
  return {
    sql: `UPDATE _cron_runs SET status = 'failed', finished_at = ?, lease_expires_at = NULL,
            error = 'abandoned: instance ' || instance || ' stopped before the run finished'
          WHERE status = 'running' AND ${where}`,
    args: [now, ...args],
  };
}

// When this process started: a run of this instance's name that started earlier died with the
// process before (a fixed HOOKD_INSTANCE_ID), whatever its lease says.
const PROCESS_STARTED = new Date(performance.timeOrigin).toISOString();

/**
 * closeAbandonedRuns marks failed every run whose instance stopped mid-run: every run whose
 * lease ran out, and at start (`starting`) the runs of this instance's name that started
 * before this process did. It answers how many.
 */
export async function closeAbandonedRuns(
  deps: Pick<Deps, "db" | "config" | "clock">,
  starting: boolean,
): Promise<number> {
  const now = deps.clock.now().toISOString();
  // A read first: the sweep runs often and almost always finds nothing to write.
  const found = await deps.db.execute({
    sql: `SELECT 1 FROM _cron_runs WHERE status = 'running' AND (lease_expires_at <= ? OR (? AND instance = ? AND started_at < ?)) LIMIT 1`,
    args: [now, starting ? 1 : 0, deps.config.instanceId, PROCESS_STARTED],
  });
  if (found.rows.length === 0) return 0;
  const rs = await deps.db.execute(
    abandonStatement(
      "(lease_expires_at <= ? OR (? AND instance = ? AND started_at < ?))",
      [now, starting ? 1 : 0, deps.config.instanceId, PROCESS_STARTED],
      now,
    ),
  );
  return rs.rowsAffected;
}
