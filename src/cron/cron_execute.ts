// One tick, one run: claim the tick, run the job (SQL statements, or an HTTP delivery on the
// shared engine), record how it ended. Used by the scheduler and by run-now.
import type { Deps } from "../deps";
import { newDeliveryId } from "../deliveries/delivery_id";
import { enqueueStatement } from "../deliveries/enqueue";
import { ConflictError } from "../errors";
import { toDeliveryRequest } from "../targets/request_settings";
import { cronTarget } from "../targets/target_key";
import type { CronJob } from "./cron_input";
import {
  claimTick,
  finishRunStatement,
  getRun,
  pruneRunsStatement,
  renewRunLease,
  type ClaimRequest,
  type CronRun,
  type RunOutcome,
} from "./cron_runs";
import { getCronJob } from "./cron_store";
import { SqlJobRefused } from "./sql_job_guard";
import { reportCronFailure } from "../ops/cron_failures";

type RunDeps = Pick<Deps, "db" | "config" | "clock" | "signals" | "log" | "sqlJobs" | "metrics" | "ops">;

/** runCronTick claims a tick and, when this instance owns it and nothing overlaps, runs the job; null means another instance has it. */
export async function runCronTick(deps: RunDeps, job: CronJob, claim: ClaimRequest): Promise<CronRun | null> {
  const run = await claimTick(deps, claim);
  if (run?.status === "skipped") deps.metrics.cronRun("skipped");
  if (!run || run.status !== "running") return run;
  const renew = setInterval(
    () => {
      renewRunLease(deps, run.id).catch((err) =>
        deps.log.warn("renewing a cron run lease failed", { job: job.name, error: String(err) }),
      );
    },
    Math.max(1000, deps.config.leaseMs / 3),
  );
  try {
    if (job.type === "sql") await runSqlJob(deps, job, run);
    else await runHttpJob(deps, job, run);
  } finally {
    clearInterval(renew);
  }
  return (await getRun(deps, run.id)) ?? run;
}

/** runCronJobNow runs a job at once, whether it is active or paused; an overlapping run is recorded as skipped. */
export async function runCronJobNow(deps: RunDeps, name: string): Promise<CronRun> {
  const job = await getCronJob(deps, name);
  const now = deps.clock.now();
  // A manual run is keyed by its start time; two in one millisecond take the next free one.
  for (let offset = 0; offset < 10; offset++) {
    const scheduledAt = new Date(now.getTime() + offset);
    const run = await runCronTick(deps, job, { job: job.name, kind: "manual", scheduledAt, startedAt: now });
    if (run) return run;
  }
  throw new ConflictError(`cron job "${name}" is being run many times at once; try again`);
}

/** runSqlJob runs the job's statements as one transaction (off the event loop on a file database); writes to collections enqueue deliveries through their capture triggers. */
async function runSqlJob(deps: RunDeps, job: CronJob, run: CronRun): Promise<void> {
  let outcome: RunOutcome;
  try {
    outcome = { status: "success", rowsChanged: await deps.sqlJobs.run(job.sql ?? "") };
  } catch (err) {
    const message = (err as Error).message ?? String(err);
    outcome = { status: "failed", error: err instanceof SqlJobRefused ? `refused: ${message}` : message };
  }
  await finish(deps, job, [finishRunStatement(run, outcome, deps.clock.now())]);
  deps.metrics.cronRun(outcome.status);
  if (outcome.status === "failed") reportFailed(deps, job, run, outcome.error ?? "failed");
}

function reportFailed(deps: RunDeps, job: CronJob, run: CronRun, error: string): void {
  reportCronFailure(deps, { job: job.name, runId: run.id, kind: run.kind, scheduledAt: run.scheduledAt, error });
}

/** runHttpJob enqueues the job's request in the same batch that closes the run, so a run never loses its delivery. */
async function runHttpJob(deps: RunDeps, job: CronJob, run: CronRun): Promise<void> {
  const deliveryId = newDeliveryId();
  const now = deps.clock.now();
  const delivery = enqueueStatement(
    toDeliveryRequest({ source: "cron", cronJob: job.name, target: cronTarget(job.id) }, job.url!, job, job.body),
    deliveryId,
    now.toISOString(),
  );
  try {
    await finish(deps, job, [delivery, finishRunStatement(run, { status: "success", deliveryId }, now)]);
    deps.metrics.cronRun("success");
  } catch (err) {
    const error = `enqueueing the delivery failed: ${(err as Error).message}`;
    await finish(deps, job, [finishRunStatement(run, { status: "failed", error }, deps.clock.now())]);
    deps.metrics.cronRun("failed");
    reportFailed(deps, job, run, error);
  }
}

async function finish(deps: RunDeps, job: CronJob, statements: Parameters<Deps["db"]["batch"]>[0]): Promise<void> {
  await deps.db.batch([...statements, pruneRunsStatement(job.name)], "write");
  // SQL runs may have written collection tables, and HTTP runs enqueued a delivery.
  deps.signals.deliveriesQueued.emit();
}
