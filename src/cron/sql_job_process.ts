// A SQL job process, on an embedded file: it runs checked jobs (sql_job_check.ts ran in hookd)
// on its main thread with its own connection, so a job that computes for seconds never holds
// hookd's event loop. hookd ends the process to stop a run (its time limit, a stop through the
// API): the operating system then releases the database lock and nothing uncommitted is kept.
// Whether a writing run committed is decided by the job's own transaction, which closes the
// run's row (sql_job_guards.ts). A read-only job runs in BEGIN DEFERRED and never takes the
// write lock; a writing one takes it up front (BEGIN IMMEDIATE), waiting here while another
// connection holds it: a statement that meets a busy lock mid-transaction stays "in progress"
// in libSQL and pins its snapshot, so every retry on that connection would fail again.
// Started by sql_job_processes.ts as main.ts with a hidden command; one request at a time.
import Database from "libsql";
import { embeddedPath, type InStatement } from "../db/client";
import { isBusyError } from "../db/embedded";
import { workerUrl } from "../lib/worker_thread";
import { completeRun, guardFailure, schemaGuard } from "./sql_job_guards";

/** SQL_JOB_PROCESS_COMMAND is the hidden command that makes the binary serve SQL jobs (main.ts). */
export const SQL_JOB_PROCESS_COMMAND = "__sql-job-process";

/** JobRequest is one checked job to run on the database file at `url`. */
export interface JobRequest {
  url: string;
  runId: string;
  statements: string[];
  writes: boolean;
  schemaVersion: number;
}

/** JobReply is how a run ended; `recorded` says the job's transaction closed the run's row. */
export type JobReply =
  | { ok: true; rowsChanged: number; recorded: boolean }
  | { ok: false; error: string; guard: "schema" | "closed" | null };

const BUSY_RETRY_MS = 30_000;

/** serveSqlJobs makes this process a SQL job process; it ends when hookd does, even mid-job. */
export function serveSqlJobs(): void {
  // The main thread may be deep in SQLite when hookd dies; this thread notices and ends us.
  // hookd passes its pid as the last argument.
  new Worker(workerUrl(import.meta.url, "cron/sql_job_watchdog.ts")).postMessage(Number(process.argv.at(-1)));
  let db: Database.Database | null = null;
  process.on("message", (req: JobRequest) => {
    let reply: JobReply;
    try {
      db ??= open(req.url);
      const run = runWhileBusy(db, req);
      db = run.db;
      reply = { ok: true, rowsChanged: run.rowsChanged, recorded: req.writes };
    } catch (err) {
      reply = { ok: false, error: (err as Error).message ?? String(err), guard: guardFailure(err) };
    }
    process.send!(reply);
  });
  process.on("disconnect", () => process.exit(0));
}

function open(url: string): Database.Database {
  const db = new Database(embeddedPath(url));
  db.exec("PRAGMA busy_timeout = 5000");
  db.exec("PRAGMA synchronous = NORMAL");
  return db;
}

// A busy database rolled the transaction back, so running it again from the start is safe;
// a fresh connection leaves behind any statement the busy error left pinned.
function runWhileBusy(db: Database.Database, req: JobRequest): { db: Database.Database; rowsChanged: number } {
  const deadline = Date.now() + BUSY_RETRY_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      return { db, rowsChanged: runOnce(db, req) };
    } catch (err) {
      if (!isBusyError(err) || Date.now() >= deadline) throw err;
      db.close();
      db = open(req.url);
      Bun.sleepSync(Math.min(1_000, 20 * 2 ** attempt) * (0.5 + Math.random() / 2));
    }
  }
}

function runOnce(db: Database.Database, req: JobRequest): number {
  db.exec(req.writes ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
  try {
    exec(db, schemaGuard(req.schemaVersion));
    let changed = 0;
    for (const text of req.statements) {
      const stmt = db.prepare(text);
      if (stmt.reader) for (const _ of stmt.iterate());
      else changed += Number(stmt.run().changes);
    }
    if (req.writes) for (const s of completeRun(req.runId, changed)) exec(db, s);
    db.exec("COMMIT");
    return changed;
  } catch (err) {
    if (db.inTransaction) db.exec("ROLLBACK");
    throw err;
  }
}

function exec(db: Database.Database, stmt: InStatement): void {
  const [sql, args] = typeof stmt === "string" ? [stmt, []] : [stmt.sql, (stmt.args ?? []) as unknown[]];
  db.prepare(sql).all(args);
}
