// The thread a SQL cron job runs in on an embedded file, with its own connections, so a job
// that computes for seconds never holds the event loop that serves HTTP and sends
// deliveries. One connection runs jobs; a scratch one only compiles them for the check
// (sql_job_guard.ts says why they must differ). A read-only job runs in BEGIN DEFERRED and
// never takes the write lock; a job that writes takes it up front (BEGIN IMMEDIATE), waiting
// here, never on the main thread, while another connection holds it. Taking it up front
// matters: a statement that meets a busy lock mid-transaction stays "in progress" in libSQL
// until garbage collection and pins its outdated snapshot, so every retry on that connection
// would fail again. Writes fire the capture triggers in this connection, as any writer's do.
// It lives in a job process (sql_job_process.ts), which ends it by exiting; before COMMIT it
// claims the run's end, so a run its process stops is never committed (sql_job_state.ts).
// Built into the binary as its own entrypoint.
import Database from "libsql";
import { embeddedPath } from "../db/client";
import { isBusyError } from "../db/embedded";
import { checkSqlJob, SqlJobRefused, type CheckedSqlJob, type SqlExecutor } from "./sql_job_guard";
import { claimRunEnd, COMMITTING } from "./sql_job_state";

/** SqlJobRequest is what the process sends: check or run, the database URL (file:…), the job's script, and the run's shared state. */
export type SqlJobRequest = { op: "check" | "run"; url: string; sql: string; state: Int32Array };

/** SqlJobReply is how the run ended. */
export type SqlJobReply = { ok: true; rowsChanged: number } | { ok: false; refused: boolean; error: string };

declare const self: Worker;

const BUSY_RETRY_MS = 30_000;
let connections: { url: string; job: Database.Database; scratch: Database.Database } | null = null;

self.onmessage = async ({ data }: MessageEvent<SqlJobRequest>) => {
  let reply: SqlJobReply;
  try {
    connections ??= { url: data.url, job: open(data.url), scratch: open(data.url) };
    const job = await checkSqlJob(data.sql, executor(connections.scratch));
    reply = { ok: true, rowsChanged: data.op === "run" ? await runWhileBusy(job, data.state) : 0 };
  } catch (err) {
    reply = { ok: false, refused: err instanceof SqlJobRefused, error: (err as Error).message ?? String(err) };
  }
  postMessage(reply);
};

function executor(db: Database.Database): SqlExecutor {
  return { execute: async (sql) => ({ rows: db.prepare(sql).all() as Record<string, unknown>[] }) };
}

function open(url: string): Database.Database {
  const db = new Database(embeddedPath(url));
  db.exec("PRAGMA busy_timeout = 5000");
  db.exec("PRAGMA synchronous = NORMAL");
  return db;
}

// A busy database rolled the transaction back, so running it again from the start is safe;
// a fresh connection leaves behind any statement the busy error left pinned.
async function runWhileBusy(job: CheckedSqlJob, state: Int32Array): Promise<number> {
  const deadline = Date.now() + BUSY_RETRY_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      return runOnce(connections!.job, job, state);
    } catch (err) {
      if (!isBusyError(err) || Date.now() >= deadline) throw err;
      connections!.job.close();
      connections!.job = open(connections!.url);
      await Bun.sleep(Math.min(1_000, 20 * 2 ** attempt) * (0.5 + Math.random() / 2));
    }
  }
}

function runOnce(db: Database.Database, job: CheckedSqlJob, state: Int32Array): number {
  db.exec(job.writes ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
  try {
    let changed = 0;
    for (const text of job.statements) {
      const stmt = db.prepare(text);
      if (stmt.reader) for (const _ of stmt.iterate());
      else changed += Number(stmt.run().changes);
    }
    // The process stopped the run at its time limit (it is exiting): then nothing is committed.
    if (!claimRunEnd(state, COMMITTING) && Atomics.load(state, 0) !== COMMITTING)
      throw new Error("stopped at its time limit");
    db.exec("COMMIT");
    return changed;
  } catch (err) {
    if (db.inTransaction) db.exec("ROLLBACK");
    throw err;
  }
}
