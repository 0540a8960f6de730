// The thread a SQL cron job runs in on an embedded file, with its own connections, so a job
// that computes for seconds never holds the event loop that serves HTTP and sends
// deliveries. One connection runs jobs; a scratch one only compiles them for the check
// (sql_job_guard.ts says why they must differ). Its transaction is BEGIN DEFERRED: a read-only job never takes the write
// lock; a job that writes and meets a busy database waits here (busy_timeout, then retries
// of the whole transaction), never on the main thread. Writes fire the capture triggers in
// this connection, as any writer's do. Built into the binary as its own entrypoint.
import Database from "libsql";
import { checkSqlJob, SqlJobRefused, type SqlExecutor } from "./sql_job_guard";

/** SqlJobRequest is what the main thread sends: check or run, the database URL (file:…) and the job's script. */
export interface SqlJobRequest {
  op: "check" | "run";
  url: string;
  sql: string;
}

/** SqlJobReply is how the run ended. */
export type SqlJobReply = { ok: true; rowsChanged: number } | { ok: false; refused: boolean; error: string };

declare const self: Worker;

const BUSY_RETRY_MS = 30_000;
let connections: { job: Database.Database; scratch: SqlExecutor } | null = null;

self.onmessage = async ({ data }: MessageEvent<SqlJobRequest>) => {
  let reply: SqlJobReply;
  try {
    connections ??= { job: open(data.url), scratch: executor(open(data.url)) };
    const statements = await checkSqlJob(data.sql, connections.scratch);
    reply = { ok: true, rowsChanged: data.op === "run" ? await runWhileBusy(connections.job, statements) : 0 };
  } catch (err) {
    reply = { ok: false, refused: err instanceof SqlJobRefused, error: (err as Error).message ?? String(err) };
  }
  postMessage(reply);
};

function executor(db: Database.Database): SqlExecutor {
  return { execute: async (sql) => ({ rows: db.prepare(sql).all() as Record<string, unknown>[] }) };
}

function open(url: string): Database.Database {
  const db = new Database(url.slice("file:".length).split("?")[0]!);
  db.exec("PRAGMA busy_timeout = 5000");
  db.exec("PRAGMA synchronous = NORMAL");
  return db;
}

// A write that finds the snapshot it read from outdated gets SQLITE_BUSY at once (no busy
// wait helps); the transaction rolled back, so running it again from the start is safe.
async function runWhileBusy(db: Database.Database, statements: string[]): Promise<number> {
  const deadline = Date.now() + BUSY_RETRY_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      return runOnce(db, statements);
    } catch (err) {
      if (!String((err as { code?: unknown }).code ?? "").startsWith("SQLITE_BUSY") || Date.now() >= deadline) throw err;
      await Bun.sleep(Math.min(1_000, 20 * 2 ** attempt) * (0.5 + Math.random() / 2));
    }
  }
}

function runOnce(db: Database.Database, statements: string[]): number {
  db.exec("BEGIN DEFERRED");
  try {
    let changed = 0;
    for (const text of statements) {
      const stmt = db.prepare(text);
      if (stmt.reader) for (const _ of stmt.iterate());
      else changed += Number(stmt.run().changes);
    }
    db.exec("COMMIT");
    return changed;
  } catch (err) {
    if (db.inTransaction) db.exec("ROLLBACK");
    throw err;
  }
}
