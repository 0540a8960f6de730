// The child process a SQL cron job runs in, on an embedded file: what makes a run stoppable.
// SQLite can only be stopped from outside the thread running it, and libSQL's interrupt waits
// for the very lock the running statement holds; ending the process is what always works. So
// the job runs in this process's worker thread (sql_job_worker.ts, as before), while the main
// thread stays free to keep time: past the run's time limit it answers so and exits, and the
// operating system releases the database lock, with nothing of the run committed. It also
// exits when hookd goes away (the IPC channel closes), so an orphan never holds the lock.
// Started by sql_job_runner.ts as main.ts with a hidden command; one request at a time.
import { workerUrl } from "../lib/worker_thread";
import { claimRunEnd, newRunState, RUNNING, STOPPED } from "./sql_job_state";
import type { SqlJobReply, SqlJobRequest } from "./sql_job_worker";

/** SQL_JOB_PROCESS_COMMAND is the hidden command that makes the binary serve SQL jobs (main.ts). */
export const SQL_JOB_PROCESS_COMMAND = "__sql-job-process";

/** JobProcessRequest is a check or run for the worker, with the run's time limit (0: none). */
export type JobProcessRequest = Omit<SqlJobRequest, "state"> & { timeoutMs: number };

/** JobProcessReply is the worker's reply; `ending` says this process exits now and takes no more requests. */
export type JobProcessReply = SqlJobReply & { ending?: true };

/** serveSqlJobs makes this process a SQL job process; it ends when its parent does. */
export function serveSqlJobs(): void {
  const worker = new Worker(workerUrl(import.meta.url, "cron/sql_job_worker.ts"));
  const state = newRunState();
  let deadline: ReturnType<typeof setTimeout> | undefined;
  const answerAndEnd = (error: string) =>
    process.send!({ ok: false, refused: false, error, ending: true } satisfies JobProcessReply, () => process.exit(1));

  worker.onmessage = ({ data }: MessageEvent<SqlJobReply>) => {
    clearTimeout(deadline);
    process.send!(data satisfies JobProcessReply);
  };
  worker.onerror = (event) => answerAndEnd(`the job's thread failed: ${event.message}`);
  process.on("message", (request: JobProcessRequest) => {
    const { timeoutMs, ...job } = request;
    Atomics.store(state, 0, RUNNING);
    if (timeoutMs > 0) {
      deadline = setTimeout(() => {
        // A run whose COMMIT has begun is let finish; its answer comes when it is done.
        if (claimRunEnd(state, STOPPED))
          answerAndEnd(
            `stopped after ${timeoutMs} ms, the limit HOOKD_SQL_JOB_TIMEOUT sets; nothing it wrote was kept`,
          );
      }, timeoutMs);
    }
    worker.postMessage({ ...job, state } satisfies SqlJobRequest);
  });
  process.on("disconnect", () => process.exit(0));
}
