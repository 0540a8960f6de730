// Where SQL cron jobs run, each checked first (sql_job_check.ts) and at most
// HOOKD_SQL_JOB_PROCESSES at once (sql_job_slots.ts). On an embedded file: in job processes
// (sql_job_process.ts), so the event loop keeps serving while a job computes. On a libSQL
// server: as one batch through a client of its own, whose request is cancelled to stop it
// (sqld interrupts a statement whose request went away, and rolls back). On ":memory:" the
// database exists only in hookd's connection, so jobs run on it, hold the event loop while
// they run and cannot be stopped. A run is stopped at HOOKD_SQL_JOB_TIMEOUT, through the API,
// or when hookd stops; a writing job's own transaction closes its run's row, so a stopped run
// either committed whole and says so, or kept nothing (sql_job_guards.ts).
import { createClient } from "@libsql/client";
import { retryWhileBusy } from "../db/busy_retry";
import type { Db, InStatement } from "../db/client";
import type { SqlJobResult, SqlJobRunner } from "../deps";
import { checkSqlJob, SqlJobRefused, type CheckedSqlJob, type SqlCompiler } from "./sql_job_check";
import { embeddedCompiler, serverCompiler } from "./sql_job_compilers";
import { completeRun, guardFailure, schemaGuard } from "./sql_job_guards";
import { JobProcesses } from "./sql_job_processes";
import { JobSlots } from "./sql_job_slots";

/** SqlJobSettings are the runner's limits: a run's time limit (0: none) and how many run at once. */
export interface SqlJobSettings {
  timeoutMs: number;
  processes: number;
  authToken?: string;
}

/** Executor runs a checked job as one transaction; aborting `signal` stops it. */
type Executor = (job: CheckedSqlJob, runId: string, signal: AbortSignal) => Promise<SqlJobResult | "schema changed">;

// A job whose schema changed between its check and its run is checked again, a few times.
const ATTEMPTS = 3;

/** createSqlJobRunner answers the runner for this database URL. */
export function createSqlJobRunner(dbUrl: string, db: Db, settings: SqlJobSettings): SqlJobRunner {
  const embedded = dbUrl === ":memory:" || dbUrl.startsWith("file:");
  const compiler: SqlCompiler = embedded ? embeddedCompiler(db) : serverCompiler(db);
  const processes = dbUrl.startsWith("file:") ? new JobProcesses(settings.processes) : null;
  const execute: Executor = processes
    ? processExecutor(dbUrl, processes)
    : batchExecutor(
        embedded ? () => ({ batch: (s, mode) => db.batch(s, mode) }) : serverClient(dbUrl, settings.authToken),
      );
  const slots = new JobSlots(settings.processes);
  const running = new Map<string, AbortController>();
  let closed = false;

  async function runChecked(sql: string, runId: string, stop: AbortController): Promise<SqlJobResult> {
    const limit =
      settings.timeoutMs > 0
        ? setTimeout(
            () =>
              stop.abort(
                `stopped after ${settings.timeoutMs} ms, the limit HOOKD_SQL_JOB_TIMEOUT sets; nothing it wrote was kept`,
              ),
            settings.timeoutMs,
          )
        : undefined;
    try {
      for (let attempt = 1; ; attempt++) {
        const job = await checkSqlJob(sql, compiler);
        if (stop.signal.aborted) return { status: "failed", error: String(stop.signal.reason) };
        const result = await execute(job, runId, stop.signal);
        if (result !== "schema changed") return result;
        if (attempt === ATTEMPTS) return { status: "failed", error: "the schema kept changing while the job was run" };
      }
    } catch (err) {
      if (err instanceof SqlJobRefused) return { status: "failed", error: `refused: ${err.message}` };
      return { status: "failed", error: stop.signal.aborted ? String(stop.signal.reason) : message(err) };
    } finally {
      clearTimeout(limit);
    }
  }

  return {
    async run(sql, { runId, waitMs }) {
      if (closed) return { status: "failed", error: "hookd is stopping; the job did not run" };
      const stop = new AbortController();
      running.set(runId, stop);
      try {
        const release = await slots.acquire(waitMs, stop.signal);
        if (!release) {
          if (stop.signal.aborted) return { status: "failed", error: String(stop.signal.reason) };
          return {
            status: "skipped",
            error: `skipped: all ${settings.processes} SQL job slots (HOOKD_SQL_JOB_PROCESSES) were busy until the job's next tick`,
          };
        }
        try {
          return await runChecked(sql, runId, stop);
        } finally {
          release();
        }
      } finally {
        running.delete(runId);
      }
    },
    async check(sql) {
      await checkSqlJob(sql, compiler);
    },
    stop(runId, reason) {
      const stop = running.get(runId);
      stop?.abort(reason);
      return stop !== undefined;
    },
    close() {
      closed = true;
      for (const stop of running.values())
        stop.abort("hookd stopped before the job finished; nothing it wrote was kept");
      processes?.close();
      compiler.close();
    },
  };
}

function processExecutor(url: string, processes: JobProcesses): Executor {
  return async (job, runId, signal) => {
    const reply = await processes.run({ url, runId, ...job }, signal);
    if ("ended" in reply) return { status: "failed", error: reply.error };
    if (reply.ok) return { status: "success", rowsChanged: reply.rowsChanged, recorded: reply.recorded };
    return reply.guard === "schema" ? "schema changed" : { status: "failed", error: reply.error };
  };
}

/** BatchDb is what a batch executor runs on: hookd's own connection (":memory:") or a client of the run's own. */
type BatchDb = Pick<Db, "batch"> & { close?(): void };

function batchExecutor(connect: (signal: AbortSignal) => BatchDb): Executor {
  return async (job, runId, signal) => {
    const statements: InStatement[] = [schemaGuard(job.schemaVersion), ...job.statements];
    if (job.writes) statements.push(...completeRun(runId, null));
    const db = connect(signal);
    try {
      const results = await retryWhileBusy(() => db.batch(statements, job.writes ? "write" : "deferred"));
      const rowsChanged = results.slice(1, 1 + job.statements.length).reduce((n, r) => n + r.rowsAffected, 0);
      return { status: "success", rowsChanged, recorded: job.writes };
    } catch (err) {
      if (signal.aborted) return { status: "failed", error: String(signal.reason) };
      return guardFailure(err) === "schema" ? "schema changed" : { status: "failed", error: message(err) };
    } finally {
      db.close?.();
    }
  };
}

// A client per run whose requests are cancelled when the run is stopped: the server then
// interrupts the statement and rolls the transaction back, releasing its write lock.
function serverClient(url: string, authToken: string | undefined): (signal: AbortSignal) => BatchDb {
  return (signal) =>
    createClient({
      url,
      authToken,
      fetch: (input: Request | string, init?: RequestInit) => fetch(input, { ...init, signal }),
    });
}

function message(err: unknown): string {
  return (err as Error)?.message ?? String(err);
}
