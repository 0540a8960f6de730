// Where SQL cron jobs run. On an embedded file: in child processes (sql_job_process.ts), each
// with its own connections, so the event loop keeps serving HTTP and sending deliveries
// while a job computes, and a run past HOOKD_SQL_JOB_TIMEOUT is stopped by ending its process.
// On ":memory:" the database exists only in this connection, so jobs run on it (and hold the
// event loop while they run, with no time limit); a libSQL server is asynchronous already and
// applies its own limits. Either way each job is checked against the rules first
// (sql_job_guard.ts).
import type { Subprocess } from "bun";
import { existsSync } from "node:fs";
import type { Db } from "../db/client";
import type { SqlJobRunner } from "../deps";
import { checkSqlJob, SqlJobRefused } from "./sql_job_guard";
import { SQL_JOB_PROCESS_COMMAND, type JobProcessReply, type JobProcessRequest } from "./sql_job_process";

// Idle processes kept for the next runs (more run at once when jobs overlap), each for a while:
// a job every second or minute finds one ready, and a quiet server gives their memory back.
const MAX_IDLE_PROCESSES = 2;
const IDLE_FOR_MS = 5 * 60_000;

// A job process is main.ts with a hidden command. The binary starts itself: on Linux through
// /proc/self/exe, which is the very binary running even after an upgrade replaced the file on
// disk, so a job process always speaks its parent's protocol. From source, Bun runs main.ts.
const SELF = existsSync("/proc/self/exe") ? "/proc/self/exe" : process.execPath;
const PROCESS_COMMAND = Bun.main.startsWith("/$bunfs/")
  ? [SELF, SQL_JOB_PROCESS_COMMAND]
  : [process.execPath, Bun.fileURLToPath(new URL("../main.ts", import.meta.url)), SQL_JOB_PROCESS_COMMAND];

/** createSqlJobRunner answers the runner for this database URL: child processes for file: (each run limited to timeoutMs; 0: none), the shared connection otherwise. */
export function createSqlJobRunner(dbUrl: string, db: Db, timeoutMs: number): SqlJobRunner {
  if (dbUrl.startsWith("file:")) return processRunner(dbUrl, timeoutMs);
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

function processRunner(url: string, timeoutMs: number): SqlJobRunner {
  const idle: JobProcess[] = [];
  const busy = new Set<JobProcess>();
  let closed = false;

  function forget(p: JobProcess): void {
    clearTimeout(p.idleTimer);
    busy.delete(p);
    if (idle.includes(p)) idle.splice(idle.indexOf(p), 1);
  }

  function release(p: JobProcess): void {
    busy.delete(p);
    if (closed || idle.length >= MAX_IDLE_PROCESSES) return void p.proc.kill();
    p.proc.unref();
    p.idleTimer = setTimeout(() => (forget(p), p.proc.kill()), IDLE_FOR_MS);
    p.idleTimer.unref();
    idle.push(p);
  }

  function send(op: "check" | "run", sql: string): Promise<number> {
    if (closed) return Promise.reject(new Error("hookd is stopping; the job did not run"));
    const p = idle.pop() ?? startProcess(forget);
    clearTimeout(p.idleTimer);
    p.proc.ref();
    busy.add(p);
    return new Promise<number>((resolve, reject) => {
      p.answer = (reply) => {
        if (reply.ending) forget(p);
        else release(p);
        if (reply.ok) resolve(reply.rowsChanged);
        else reject(reply.refused ? new SqlJobRefused(reply.error) : new Error(reply.error));
      };
      p.proc.send({ op, url, sql, timeoutMs } satisfies JobProcessRequest);
    });
  }

  return {
    run: (sql) => send("run", sql),
    check: async (sql) => void (await send("check", sql)),
    close() {
      closed = true;
      for (const p of [...idle, ...busy]) {
        forget(p);
        p.proc.kill();
      }
    },
  };
}

/** JobProcess is one SQL job process and where its next reply goes. */
interface JobProcess {
  proc: Subprocess;
  answer: ((reply: JobProcessReply) => void) | null;
  idleTimer?: ReturnType<typeof setTimeout>;
}

function startProcess(onExit: (p: JobProcess) => void): JobProcess {
  const p: JobProcess = { proc: null as unknown as Subprocess, answer: null };
  const deliver = (reply: JobProcessReply) => {
    const answer = p.answer;
    p.answer = null;
    answer?.(reply);
  };
  p.proc = Bun.spawn({
    cmd: PROCESS_COMMAND,
    stdin: "ignore",
    stdout: "inherit",
    stderr: "inherit",
    serialization: "json",
    ipc: deliver,
  });
  void p.proc.exited.then((code) => {
    onExit(p);
    // Killed by close(), or ended without a word: a run in progress hears so.
    deliver({
      ok: false,
      refused: false,
      error: `the job's process ended before the job did (${p.proc.signalCode ?? `exit code ${code}`}); what it had not committed is rolled back`,
      ending: true,
    });
  });
  return p;
}
