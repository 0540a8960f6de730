// Where SQL cron jobs run. On an embedded file: in worker threads (sql_job_worker.ts), each
// with its own connections, so the event loop keeps serving HTTP and sending deliveries
// while a job computes. On ":memory:" the database exists only in this connection, so jobs
// run on it (and hold the event loop while they run); a libSQL server is asynchronous
// already. Either way each job is checked against the rules first (sql_job_guard.ts).
import type { Db } from "../db/client";
import type { SqlJobRunner } from "../deps";
import { workerUrl, type RefWorker } from "../lib/worker_thread";
import { checkSqlJob, SqlJobRefused } from "./sql_job_guard";
import type { SqlJobReply, SqlJobRequest } from "./sql_job_worker";

// Idle workers kept for the next run; more run at once when jobs overlap.
const MAX_IDLE_WORKERS = 2;

const WORKER_URL = workerUrl(import.meta.url, "cron/sql_job_worker.ts");

/** createSqlJobRunner answers the runner for this database URL: worker threads for file:, the shared connection otherwise. */
export function createSqlJobRunner(dbUrl: string, db: Db): SqlJobRunner {
  if (dbUrl.startsWith("file:")) return workerRunner(dbUrl);
  // A server answers EXPLAIN per request; ":memory:" has one connection, which must keep committing.
  const explainOn = dbUrl === ":memory:" ? null : db;
  return {
    async run(sql) {
      const { statements } = await checkSqlJob(sql, explainOn);
      const results = await db.batch(statements, "deferred");
      return results.reduce((n, r) => n + r.rowsAffected, 0);
    },
    async check(sql) {
      await checkSqlJob(sql, explainOn);
    },
    close() {},
  };
}

function workerRunner(url: string): SqlJobRunner {
  const idle: RefWorker[] = [];
  const busy = new Map<RefWorker, (err: Error) => void>();
  let closed = false;

  function release(worker: RefWorker): void {
    busy.delete(worker);
    if (closed || idle.length >= MAX_IDLE_WORKERS) return dismiss(worker);
    worker.unref();
    idle.push(worker);
  }

  // An idle worker is asked to close its connections and ends by itself (sql_job_worker.ts).
  function dismiss(worker: RefWorker): void {
    worker.unref();
    worker.postMessage({ op: "close" } satisfies SqlJobRequest);
  }

  function send(request: SqlJobRequest): Promise<number> {
    if (closed) return Promise.reject(new Error("hookd is stopping; the job did not run"));
    const worker = idle.pop() ?? (new Worker(WORKER_URL) as RefWorker);
    worker.ref();
    return new Promise<number>((resolve, reject) => {
      busy.set(worker, reject);
      worker.onmessage = ({ data }: MessageEvent<SqlJobReply>) => {
        release(worker);
        if (data.ok) resolve(data.rowsChanged);
        else reject(data.refused ? new SqlJobRefused(data.error) : new Error(data.error));
      };
      worker.onerror = (event) => {
        busy.delete(worker);
        worker.terminate();
        reject(new Error(`the job's worker thread failed: ${event.message}`));
      };
      worker.postMessage(request);
    });
  }

  return {
    run: (sql) => send({ op: "run", url, sql }),
    check: async (sql) => void (await send({ op: "check", url, sql })),
    close() {
      closed = true;
      for (const worker of idle.splice(0)) dismiss(worker);
      for (const [worker, reject] of busy) {
        worker.terminate();
        reject(new Error("hookd stopped before the job finished; what it had not committed is rolled back"));
      }
      busy.clear();
    },
  };
}
