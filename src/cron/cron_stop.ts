// Stopping a cron run in progress through the API. A run on this instance is stopped at once
// (sql_job_runner.ts) and answered once it is recorded. A run on another instance is marked in
// its row, and that instance stops it when it next reads the row (cron_execute.ts) — unless
// the run holds the database's write lock (a writing SQL job): then the mark cannot be written
// until the run ends, and the stop is refused saying so; its time limit still ends it.
import type { Deps } from "../deps";
import { ConflictError } from "../errors";
import { STOPPED_THROUGH_API } from "./cron_execute";
import { requestStop } from "./cron_run_leases";
import { getRun, runningRun, type CronRun } from "./cron_runs";
import { getCronJob } from "./cron_store";

// How long a stopped local run may take to be recorded before the answer is sent anyway.
const RECORDED_WITHIN_MS = 10_000;
// How long marking another instance's run may wait for the write lock.
const MARKED_WITHIN_MS = 2_000;

/** stopCronRun stops the job's run in progress and answers it: ended, or (on another instance) still running and marked; 409 when none is, or when it cannot be reached. */
export async function stopCronRun(deps: Pick<Deps, "db" | "sqlJobs">, name: string): Promise<CronRun> {
  const job = await getCronJob(deps, name);
  const run = await runningRun(deps, job.name);
  const noRun = () => new ConflictError(`cron job "${job.name}" has no run in progress`);
  if (!run) throw noRun();
  if (!deps.sqlJobs.stop(run.id, STOPPED_THROUGH_API)) return markElsewhere(deps, run, noRun);
  const deadline = Date.now() + RECORDED_WITHIN_MS;
  for (;;) {
    const now = (await getRun(deps, run.id)) ?? run;
    if (now.status !== "running" || Date.now() > deadline) return now;
    await Bun.sleep(20);
  }
}

async function markElsewhere(deps: Pick<Deps, "db">, run: CronRun, noRun: () => Error): Promise<CronRun> {
  // The mark still lands once the lock is free (and then finds the run ended, or stops it).
  const marking = requestStop(deps, run.id).catch(() => false);
  const marked = await Promise.race([marking, Bun.sleep(MARKED_WITHIN_MS).then(() => "waiting" as const)]);
  if (marked === "waiting")
    throw new ConflictError(
      `cron job "${run.job}" runs on instance ${run.instance} and holds the database's write lock, so the stop cannot reach it; it ends at HOOKD_SQL_JOB_TIMEOUT, or stop it through that instance`,
    );
  if (!marked) throw noRun();
  return (await getRun(deps, run.id)) ?? run;
}
