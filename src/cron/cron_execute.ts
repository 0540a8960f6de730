// One tick, one run: claim the tick, run the job (SQL statements, or an HTTP delivery on the
// shared engine), record how it ended. Used by the scheduler and by run-now; a run in
// progress can be stopped (cron_stop.ts).
import type { Deps } from "../deps";
import { newDeliveryId } from "../deliveries/delivery_id";
import { enqueueStatement, toDeliveryRequest } from "../deliveries/enqueue";
import { ConflictError } from "../errors";
import { cronTarget } from "../targets/target_key";
import type { CronJob } from "./cron_input";
import { readRunState, renewRunLease, type RunState } from "./cron_run_leases";
import {
  claimTick,
  finishRunStatement,
  getRun,
  pruneRunsStatement,
  completedRunStatement,
  type ClaimRequest,
  type CronRun,
} from "./cron_runs";
import { compileSchedule, nextTickAfter } from "./cron_schedule";
import { getCronJob } from "./cron_store";
import { reportCronFailure } from "../ops/cron_failures";

type RunDeps = Pick<Deps, "db" | "config" | "clock" | "signals" | "log" | "sqlJobs" | "metrics" | "ops">;

/** STOPPED_THROUGH_API is how a run stopped through the API ends. */
export const STOPPED_THROUGH_API = "stopped through the API; nothing it wrote was kept";

/** runCronTick claims a tick and, when this instance owns it and nothing overlaps, runs the job; null means another instance has it. */
export async function runCronTick(deps: RunDeps, job: CronJob, claim: ClaimRequest): Promise<CronRun | null> {
  const run = await claimTick(deps, claim);
  if (run?.status === "skipped") deps.metrics.cronRun("skipped");
  if (!run || run.status !== "running") return run;
  const stopWatching = watchRun(deps, job, run);
  try {
    if (job.type === "sql") await runSqlJob(deps, job, run, claim);
    else await runHttpJob(deps, job, run);
  } finally {
    stopWatching();
  }
  const ended = (await getRun(deps, run.id)) ?? run;
  if (ended.status !== "running") deps.metrics.cronRun(ended.status);
  if (ended.status === "failed") reportFailed(deps, job, ended, ended.error ?? "failed");
  return ended;
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

// While a run goes on: its lease is renewed (a write, every third of HOOKD_LEASE_MS), and in
// between its row is read, so a stop asked of another instance, or a run another instance gave
// up as abandoned, stops the job here within a poll or so.
function watchRun(deps: RunDeps, job: CronJob, run: CronRun): () => void {
  const everyMs = Math.max(50, Math.min(deps.config.pollMs * 4, deps.config.leaseMs / 3));
  const renewEvery = Math.max(1, Math.floor(deps.config.leaseMs / 3 / everyMs));
  let polls = 0;
  const timer = setInterval(() => {
    const renew = ++polls % renewEvery === 0;
    (renew ? renewRunLease(deps, run.id) : readRunState(deps, run.id)).then(
      (state: RunState) => {
        if (state === "stop requested") deps.sqlJobs.stop(run.id, STOPPED_THROUGH_API);
        if (state === "closed")
          deps.sqlJobs.stop(run.id, "the run was closed meanwhile (given up as abandoned); nothing it wrote was kept");
      },
      (err) => deps.log.warn("renewing a cron run lease failed", { job: job.name, error: String(err) }),
    );
  }, everyMs);
  return () => clearInterval(timer);
}

/** runSqlJob runs the job's statements as one transaction; a writing job's transaction closes the run itself, the rest is closed here. */
async function runSqlJob(deps: RunDeps, job: CronJob, run: CronRun, claim: ClaimRequest): Promise<void> {
  // A scheduled run waits for a free job slot until just before the job's next tick (a quarter
  // of the interval, at most a second, early: so that tick finds this one ended, not running).
  const next =
    claim.kind === "schedule" ? nextTickAfter(compileSchedule(job.schedule, job.timezone), claim.scheduledAt) : null;
  const early = next ? Math.min(1_000, (next.getTime() - claim.scheduledAt.getTime()) / 4) : 0;
  const waitMs = next ? next.getTime() - early - deps.clock.now().getTime() : null;
  const result = await deps.sqlJobs.run(job.sql ?? "", { runId: run.id, waitMs });
  const statement =
    result.status === "success" && result.recorded
      ? completedRunStatement(run, result.rowsChanged, deps.clock.now())
      : finishRunStatement(
          run,
          result.status === "success" ? { status: "success", rowsChanged: result.rowsChanged } : result,
          deps.clock.now(),
        );
  await finish(deps, job, [statement]);
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
  } catch (err) {
    const error = `enqueueing the delivery failed: ${(err as Error).message}`;
    await finish(deps, job, [finishRunStatement(run, { status: "failed", error }, deps.clock.now())]);
  }
}

async function finish(deps: RunDeps, job: CronJob, statements: Parameters<Deps["db"]["batch"]>[0]): Promise<void> {
  await deps.db.batch([...statements, pruneRunsStatement(job.name)], "write");
  // SQL runs may have written collection tables, and HTTP runs enqueued a delivery.
  deps.signals.deliveriesQueued.emit();
}
