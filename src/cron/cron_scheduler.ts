// Keeps one timer per active job, set for its next tick's exact time. croner only calculates
// that time; owning the timer is what lets a run start within milliseconds of its second.
// Jobs changed by this process arrive through the cronChanged signal; jobs changed by another
// instance are noticed by a cheap periodic re-read of _cron_jobs.
import type { Deps } from "../deps";
import { SingleFlight } from "../lib/single_flight";
import { every, type TimerHandle } from "../runtime/timers";
import { runCronTick } from "./cron_execute";
import type { CronJob } from "./cron_input";
import { closeAbandonedRuns } from "./cron_run_leases";
import { claimTick } from "./cron_runs";
import { compileSchedule, nextTickAfter, ticksBetween, type Schedule } from "./cron_schedule";
import { listCronJobs } from "./cron_store";
import { AnswerBudget, UNLIMITED } from "../lib/answer_budget";
import { withoutHealth } from "../targets/target_health";

/** CronScheduler runs ticks until stopped. */
export interface CronScheduler {
  /** reload re-reads the jobs and re-arms the ones that changed. */
  reload(): Promise<void>;
  /** stop clears every timer and waits (up to config.shutdownMs) for runs in progress. */
  stop(): Promise<void>;
}

/** CronSchedulerOptions: reloadMs is how often other instances' changes are looked for (default config.pollMs × 4). */
export interface CronSchedulerOptions {
  reloadMs?: number;
}

interface Armed {
  job: CronJob;
  signature: string;
  schedule: Schedule;
  timer?: TimerHandle;
}

// Timers are re-armed at least this often, so a far-off tick never overflows setTimeout and a
// wall-clock change is noticed.
const MAX_TIMER_MS = 60_000;
// After a long stall, at most this many missed ticks per job are written down as skipped.
const MAX_MISSED_RECORDED = 100;

/** startCronScheduler loads the jobs, arms their timers and reloads on every cronChanged signal until stopped. */
export async function startCronScheduler(deps: Deps, opts: CronSchedulerOptions = {}): Promise<CronScheduler> {
  const { clock, log, timers } = deps;
  const armed = new Map<string, Armed>();
  const inFlight = new Set<Promise<void>>();
  let stopping = false;
  let loads = 0;
  const disarm = (entry: Armed) => {
    if (entry.timer) timers.clearTimeout(entry.timer);
    entry.timer = undefined;
  };

  function arm(entry: Armed, scheduledAt: Date | null): void {
    disarm(entry);
    if (!scheduledAt || stopping) return;
    const wait = Math.min(MAX_TIMER_MS, Math.max(0, scheduledAt.getTime() - clock.now().getTime()));
    entry.timer = timers.setTimeout(() => fire(entry, scheduledAt), wait);
  }

  function fire(entry: Armed, scheduledAt: Date): void {
    const now = clock.now();
    // Early (a capped wait, or a timer a millisecond early): wait for the rest.
    if (now < scheduledAt) return arm(entry, scheduledAt);
    const missed = ticksBetween(entry.schedule, scheduledAt, now, MAX_MISSED_RECORDED);
    // The next timer is armed before this run starts, so a slow run cannot delay it.
    // From just before now, so a tick that falls on this very millisecond is not lost.
    const from = Math.max(scheduledAt.getTime(), now.getTime() - 1);
    arm(entry, nextTickAfter(entry.schedule, new Date(from)));
    track(recordTick(entry.job, scheduledAt, missed));
  }

  async function recordTick(job: CronJob, scheduledAt: Date, missed: Date[]): Promise<void> {
    try {
      for (const tick of missed) {
        const late = `skipped: the scheduler reached this tick ${clock.now().getTime() - tick.getTime()} ms late (the process was busy or paused)`;
        if (await claimTick(deps, { job: job.name, kind: "schedule", scheduledAt: tick, startedAt: clock.now(), late }))
          deps.metrics.cronRun("skipped");
      }
      await runCronTick(deps, job, { job: job.name, kind: "schedule", scheduledAt, startedAt: clock.now() });
    } catch (err) {
      log.error("cron tick failed", { job: job.name, scheduledAt: scheduledAt.toISOString(), error: String(err) });
    }
  }

  function track(work: Promise<void>): void {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  }

  async function loadJobs(): Promise<void> {
    // Runs a stopped instance left "running" are closed now, not at their job's next tick.
    const abandoned = await closeAbandonedRuns(deps, loads++ === 0);
    if (abandoned > 0) log.warn("closed cron runs whose instance stopped mid-run", { runs: abandoned });
    const jobs = await listCronJobs(deps, new AnswerBudget(UNLIMITED));
    const seen = new Set<string>();
    for (const job of jobs) {
      seen.add(job.id);
      // The definition only: health changes with every delivery, and re-arming then could drop a tick.
      const signature = JSON.stringify(withoutHealth(job));
      const entry = armed.get(job.id);
      if (entry?.signature === signature) continue;
      if (entry) disarm(entry);
      armed.delete(job.id);
      if (!job.active) continue;
      let schedule: Schedule;
      try {
        schedule = compileSchedule(job.schedule, job.timezone);
      } catch (err) {
        // Only a row written around the API can get here; one bad job must not stop the others.
        log.error("cron job has an unusable schedule; it will not run", {
          job: job.name,
          schedule: job.schedule,
          error: String(err),
        });
        continue;
      }
      const next: Armed = { job, signature, schedule };
      armed.set(job.id, next);
      arm(next, nextTickAfter(schedule, clock.now()));
    }
    for (const [id, entry] of armed) {
      if (seen.has(id)) continue;
      disarm(entry);
      armed.delete(id);
    }
  }

  // Reloads are serialized; a request during one runs once more after it.
  const reloads = new SingleFlight(async () => {
    if (stopping) return;
    await loadJobs().catch((err) =>
      log.error("loading cron jobs failed; the next reload tries again", { error: String(err) }),
    );
  });
  const reload = () => reloads.run();

  await reload();
  const stopPolling = every(timers, opts.reloadMs ?? deps.config.pollMs * 4, () => void reload());
  const unsubscribe = deps.signals.cronChanged.subscribe(() => void reload());

  return {
    reload,
    async stop() {
      stopping = true;
      stopPolling();
      unsubscribe();
      for (const entry of armed.values()) disarm(entry);
      armed.clear();
      await Promise.race([Promise.allSettled([...inFlight]), Bun.sleep(deps.config.shutdownMs)]);
    },
  };
}
