// The run history in _cron_runs. Claiming a tick is one INSERT OR IGNORE on UNIQUE(job,
// scheduled_at): the instance whose insert lands owns the tick, the others do nothing. The
// same statement decides, from the history, whether the tick would overlap a run in progress.
import type { InStatement, Row } from "../db/client";
import type { Deps } from "../deps";
import { newId } from "../lib/new_id";
import { readPage } from "../db/read_page";
import type { AnswerBudget } from "../lib/answer_budget";
import { abandonStatement } from "./cron_run_leases";
import type { Page, PageRequest } from "../lib/page";

/** CronRun is one tick of a job: run, skipped, or still running. */
export interface CronRun {
  id: string;
  job: string;
  kind: "schedule" | "manual";
  scheduledAt: string;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  status: "running" | "success" | "failed" | "skipped";
  rowsChanged: number | null;
  error: string | null;
  deliveryId: string | null;
  instance: string;
}

/** RunOutcome is how a run ended. */
export interface RunOutcome {
  status: "success" | "failed" | "skipped";
  rowsChanged?: number;
  error?: string;
  deliveryId?: string;
}

/** ClaimRequest describes the tick to claim; `late` marks a tick that is only recorded, never run. */
export interface ClaimRequest {
  job: string;
  kind: CronRun["kind"];
  scheduledAt: Date;
  startedAt: Date;
  late?: string;
}

/** RUNS_KEPT_PER_JOB bounds the history: a job every second would otherwise add 86,400 rows a day. */
export const RUNS_KEPT_PER_JOB = 1000;

const OVERLAP_MESSAGE = "skipped: the previous run of this job was still running";

function rowToRun(row: Row): CronRun {
  const num = (v: unknown) => (v === null ? null : Number(v));
  const text = (v: unknown) => (v === null ? null : String(v));
  return {
    id: String(row.id),
    job: String(row.job),
    kind: String(row.kind) as CronRun["kind"],
    scheduledAt: String(row.scheduled_at),
    startedAt: String(row.started_at),
    finishedAt: text(row.finished_at),
    durationMs: num(row.duration_ms),
    status: String(row.status) as CronRun["status"],
    rowsChanged: num(row.rows_changed),
    error: text(row.error),
    deliveryId: text(row.delivery_id),
    instance: String(row.instance),
  };
}

/** claimTick records a tick as running or skipped; it answers null when another instance already has it. */
export async function claimTick(deps: Pick<Deps, "db" | "config">, req: ClaimRequest): Promise<CronRun | null> {
  const { config } = deps;
  const started = req.startedAt.toISOString();
  const scheduled = req.scheduledAt.toISOString();
  const lease = new Date(req.startedAt.getTime() + config.leaseMs).toISOString();
  const [, claimed] = await deps.db.batch(
    [
      // A running row whose lease ran out belongs to an instance that stopped mid-run.
      abandonStatement(`job = ? AND lease_expires_at <= ?`, [req.job, started], started),
      {
        sql: `INSERT OR IGNORE INTO _cron_runs (id, job, kind, scheduled_at, started_at, status, error, instance, lease_expires_at)
              SELECT ?, ?, ?, ?, ?, CASE WHEN b.overlap OR ? THEN 'skipped' ELSE 'running' END,
                     CASE WHEN b.overlap THEN ? ELSE ? END, ?, CASE WHEN b.overlap OR ? THEN NULL ELSE ? END
              FROM (SELECT EXISTS (SELECT 1 FROM _cron_runs WHERE job = ? AND status = 'running')
                        OR EXISTS (SELECT 1 FROM _cron_runs WHERE job = ? AND status IN ('success', 'failed')
                                   AND started_at <= ? AND finished_at > ?) AS overlap) AS b
              RETURNING *`,
        args: [
          newId(),
          req.job,
          req.kind,
          scheduled,
          started,
          req.late !== undefined ? 1 : 0,
          OVERLAP_MESSAGE,
          req.late ?? null,
          config.instanceId,
          req.late !== undefined ? 1 : 0,
          lease,
          req.job,
          req.job,
          scheduled,
          scheduled,
        ],
      },
    ],
    "write",
  );
  return claimed!.rows[0] ? rowToRun(claimed!.rows[0]) : null;
}

/** finishRunStatement is the UPDATE that closes a run still running (one a job's own transaction closed stays as it is), for the caller's batch. */
export function finishRunStatement(run: CronRun, outcome: RunOutcome, finishedAt: Date): InStatement {
  return {
    sql: `UPDATE _cron_runs SET status = ?, finished_at = ?, duration_ms = ?, rows_changed = ?, error = ?, delivery_id = ?, lease_expires_at = NULL
          WHERE id = ? AND status = 'running'`,
    args: [
      outcome.status,
      finishedAt.toISOString(),
      Math.max(0, finishedAt.getTime() - Date.parse(run.startedAt)),
      outcome.rowsChanged ?? null,
      outcome.error ?? null,
      outcome.deliveryId ?? null,
      run.id,
    ],
  };
}

/** completedRunStatement writes when a run its job's transaction closed ended (and its rows_changed, if the job could not know them). */
export function completedRunStatement(run: CronRun, rowsChanged: number, finishedAt: Date): InStatement {
  return {
    sql: `UPDATE _cron_runs SET finished_at = ?, duration_ms = ?, rows_changed = coalesce(rows_changed, ?)
          WHERE id = ? AND status = 'success' AND finished_at IS NULL`,
    args: [
      finishedAt.toISOString(),
      Math.max(0, finishedAt.getTime() - Date.parse(run.startedAt)),
      rowsChanged,
      run.id,
    ],
  };
}

/** runningRun answers the run of a job in progress, if any. */
export async function runningRun({ db }: Pick<Deps, "db">, job: string): Promise<CronRun | undefined> {
  const rs = await db.execute({
    sql: "SELECT * FROM _cron_runs WHERE job = ? AND status = 'running' ORDER BY started_at DESC LIMIT 1",
    args: [job],
  });
  return rs.rows[0] ? rowToRun(rs.rows[0]) : undefined;
}

/** pruneRunsStatement deletes a job's finished runs beyond the newest RUNS_KEPT_PER_JOB. */
export function pruneRunsStatement(job: string): InStatement {
  return {
    sql: `DELETE FROM _cron_runs WHERE id IN (
            SELECT id FROM _cron_runs WHERE job = ? AND status != 'running' ORDER BY scheduled_at DESC LIMIT -1 OFFSET ?)`,
    args: [job, RUNS_KEPT_PER_JOB],
  };
}

/** getRun answers one run by id, or undefined. */
export async function getRun({ db }: Pick<Deps, "db">, id: string): Promise<CronRun | undefined> {
  const rs = await db.execute({ sql: "SELECT * FROM _cron_runs WHERE id = ?", args: [id] });
  return rs.rows[0] ? rowToRun(rs.rows[0]) : undefined;
}

/** listRuns answers one page of a job's runs, newest first, within the answer budget. */
export async function listRuns(
  { db }: Pick<Deps, "db">,
  job: string,
  req: PageRequest,
  budget: AnswerBudget,
): Promise<Page<CronRun>> {
  const query = {
    count: { sql: "SELECT count(*) AS n FROM _cron_runs WHERE job = ?", args: [job] },
    rows: (limit: number, offset: number) => ({
      sql: "SELECT * FROM _cron_runs WHERE job = ? ORDER BY scheduled_at DESC, started_at DESC LIMIT ? OFFSET ?",
      args: [job, limit, offset],
    }),
  };
  return readPage(db, query, req, budget, rowToRun);
}
