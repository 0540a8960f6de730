// Stopping a cron run in progress through the API. A run on this instance is stopped at once
// (sql_job_runner.ts) and answered once it is recorded; a run on another instance is marked,
// and that instance stops it when it next reads the run's row (cron_execute.ts).
import type { Deps } from "../deps";
import { ConflictError } from "../errors";
import { STOPPED_THROUGH_API } from "./cron_execute";
import { getRun, requestStop, runningRun, type CronRun } from "./cron_runs";
import { getCronJob } from "./cron_store";

// How long a stopped local run may take to be recorded before the answer is sent anyway.
const RECORDED_WITHIN_MS = 10_000;

/** stopCronRun stops the job's run in progress and answers it: ended, or (on another instance) still running and marked; 409 when none is. */
export async function stopCronRun(deps: Pick<Deps, "db" | "sqlJobs">, name: string): Promise<CronRun> {
  const job = await getCronJob(deps, name);
  const run = await runningRun(deps, job.name);
  const noRun = () => new ConflictError(`cron job "${job.name}" has no run in progress`);
  if (!run) throw noRun();
  if (!deps.sqlJobs.stop(run.id, STOPPED_THROUGH_API)) {
    if (!(await requestStop(deps, run.id))) throw noRun();
    return (await getRun(deps, run.id)) ?? run;
  }
  const deadline = Date.now() + RECORDED_WITHIN_MS;
  for (;;) {
    const now = (await getRun(deps, run.id)) ?? run;
    if (now.status !== "running" || Date.now() > deadline) return now;
    await Bun.sleep(20);
  }
}
