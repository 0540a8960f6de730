// The SQL job runner on an embedded file (cron/sql_job_runner.ts, sql_job_processes.ts,
// sql_job_process.ts): runs take at most HOOKD_SQL_JOB_PROCESSES processes, a run that finds
// them busy waits (and gives up at its deadline), a run past its time limit or stopped is
// ended with its process (the lock is free at once, nothing it wrote is kept), and the job's
// own transaction closes its run's row, so a stop and a COMMIT can never disagree. Every
// wait here is for a condition, never for a length of time.
import { afterAll, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { finishRunStatement, getRun, type CronRun } from "../../src/cron/cron_runs";
import { guardFailure, schemaGuard } from "../../src/cron/sql_job_guards";
import { createSqlJobRunner } from "../../src/cron/sql_job_runner";
import { newId } from "../../src/lib/new_id";
import { tempDbUrl } from "../support/temp_db";
import { makeTestApp } from "../support/test_app";

/** children answers the pids of this process's live children. */
function children(): number[] {
  return readdirSync("/proc/self/task").flatMap((tid) => {
    try {
      return readFileSync(`/proc/self/task/${tid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  });
}

async function until<T>(what: () => T | Promise<T>, ok: (v: T) => boolean, withinMs = 20_000): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const v = await what();
    if (ok(v) || Date.now() > deadline) return v;
    await Bun.sleep(10);
  }
}

const url = tempDbUrl("hookd-runner-");
const t = await makeTestApp({ dbUrl: url });
const db = t.deps.db;
await t.request("POST", "/api/collections", { name: "notes", fields: [{ name: "n", type: "number" }] });
afterAll(() => {
  t.deps.sqlJobs.close();
  db.close();
});

const ENDLESS_WRITE =
  "INSERT INTO notes (n) SELECT x FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c)";
const ENDLESS_READ = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c";
const notesAbove0 = async () => Number((await db.execute("SELECT count(*) AS n FROM notes WHERE n > 0")).rows[0]!.n);

/** newRun writes a running row for a run, as claimTick does. */
async function newRun(): Promise<CronRun> {
  const id = newId();
  const now = new Date().toISOString();
  await db.execute({
    sql: "INSERT INTO _cron_runs (id, job, kind, scheduled_at, started_at, status, instance, lease_expires_at) VALUES (?, 'j', 'manual', ?, ?, 'running', 'test', ?)",
    args: [id, `${now}-${id}`, now, new Date(Date.now() + 60_000).toISOString()],
  });
  return (await getRun(t.deps, id))!;
}

test("runs beyond HOOKD_SQL_JOB_PROCESSES wait for a process; one that cannot start before its deadline is skipped", async () => {
  const before = children().length;
  const runner = createSqlJobRunner(url, db, { timeoutMs: 0, processes: 2 });
  try {
    const a = runner.run(ENDLESS_READ, { runId: "a", waitMs: null });
    const b = runner.run(ENDLESS_READ, { runId: "b", waitMs: null });
    expect(
      await until(
        () => children().length,
        (n) => n === before + 2,
      ),
    ).toBe(before + 2);
    // Both slots are taken by endless runs: a third with a deadline gives up, one without waits.
    expect(await runner.run("SELECT 1", { runId: "c", waitMs: 50 })).toEqual({
      status: "skipped",
      error: "skipped: all 2 SQL job slots (HOOKD_SQL_JOB_PROCESSES) were busy until the job's next tick",
    });
    const d = runner.run("SELECT 1", { runId: "d", waitMs: null });
    expect(children().length).toBe(before + 2);
    expect(runner.stop("a", "stopped by the test")).toBe(true);
    expect(await a).toEqual({ status: "failed", error: "stopped by the test" });
    expect(await d).toEqual({ status: "success", rowsChanged: 0, recorded: false });
    // Never more than two processes at once.
    expect(children().length).toBeLessThanOrEqual(before + 2);
    runner.stop("b", "stopped by the test");
    expect((await b).status).toBe("failed");
    expect(runner.stop("b", "again")).toBe(false);
  } finally {
    runner.close();
  }
  expect(
    await until(
      () => children().length,
      (n) => n === before,
    ),
  ).toBe(before);
});

test("a run past the time limit is stopped: nothing it wrote is kept, the lock is free at once, and the next run works", async () => {
  const runner = createSqlJobRunner(url, db, { timeoutMs: 500, processes: 2 });
  try {
    const run = await newRun();
    expect(await runner.run(ENDLESS_WRITE, { runId: run.id, waitMs: null })).toEqual({
      status: "failed",
      error: "stopped after 500 ms, the limit HOOKD_SQL_JOB_TIMEOUT sets; nothing it wrote was kept",
    });
    // hookd's own connection writes at once (its group commit would wait for a held lock).
    expect((await db.execute("INSERT INTO notes (n) VALUES (-1)")).rowsAffected).toBe(1);
    expect(await notesAbove0()).toBe(0);
    expect((await getRun(t.deps, run.id))!.status).toBe("running"); // closing it is the caller's
    const next = await newRun();
    expect(await runner.run("UPDATE notes SET n = -2 WHERE n = -1", { runId: next.id, waitMs: null })).toEqual({
      status: "success",
      rowsChanged: 1,
      recorded: true,
    });
    // The job's own transaction closed its row, with the rows it changed.
    expect(await getRun(t.deps, next.id)).toMatchObject({ status: "success", rowsChanged: 1, error: null });
  } finally {
    runner.close();
  }
});

test("a run stopped from outside, or by close, keeps nothing", async () => {
  const runner = createSqlJobRunner(url, db, { timeoutMs: 0, processes: 2 });
  const run = await newRun();
  const going = runner.run(ENDLESS_WRITE, { runId: run.id, waitMs: null });
  // Stopped once it is really running: its process holds the write lock.
  await until(
    () => children().length,
    (n) => n > 0,
  );
  expect(runner.stop(run.id, "stopped through the API; nothing it wrote was kept")).toBe(true);
  expect(await going).toEqual({ status: "failed", error: "stopped through the API; nothing it wrote was kept" });
  expect(await notesAbove0()).toBe(0);

  const closing = runner.run(ENDLESS_WRITE, { runId: (await newRun()).id, waitMs: null });
  await until(
    () => children().length,
    (n) => n > 0,
  );
  runner.close();
  expect(await closing).toEqual({
    status: "failed",
    error: "hookd stopped before the job finished; nothing it wrote was kept",
  });
  expect(await notesAbove0()).toBe(0);
  expect((await db.execute("INSERT INTO notes (n) VALUES (-3)")).rowsAffected).toBe(1);
});

test("the database decides: a job whose run was closed meanwhile rolls back; a committed run is not closed again", async () => {
  const runner = createSqlJobRunner(url, db, { timeoutMs: 0, processes: 2 });
  try {
    // Closed (stopped, or given up as abandoned) before the job's COMMIT: its writes are not kept.
    const closed = await newRun();
    await db.execute(finishRunStatement(closed, { status: "failed", error: "stopped" }, new Date()));
    const result = await runner.run("INSERT INTO notes (n) VALUES (42)", { runId: closed.id, waitMs: null });
    expect(result.status).toBe("failed");
    expect(await notesAbove0()).toBe(0);
    expect((await getRun(t.deps, closed.id))!.error).toBe("stopped");

    // Committed first: a stop that comes after finds the row closed and changes nothing.
    const committed = await newRun();
    expect((await runner.run("INSERT INTO notes (n) VALUES (43)", { runId: committed.id, waitMs: null })).status).toBe(
      "success",
    );
    await db.execute(finishRunStatement(committed, { status: "failed", error: "stopped late" }, new Date()));
    expect(await getRun(t.deps, committed.id)).toMatchObject({ status: "success", rowsChanged: 1, error: null });
    expect(await notesAbove0()).toBe(1);
  } finally {
    runner.close();
  }
});

test("a job checked on one schema does not run on another", async () => {
  const version = Number((await db.execute("PRAGMA schema_version")).rows[0]!.schema_version);
  expect((await db.batch([schemaGuard(version), "SELECT 1"], "read")).length).toBe(2);
  const stale = await db.batch([schemaGuard(version - 1), "SELECT 1"], "read").catch((err) => err);
  expect(guardFailure(stale)).toBe("schema");
});

test("with no limit (0) a long run finishes", async () => {
  const runner = createSqlJobRunner(url, db, { timeoutMs: 0, processes: 1 });
  try {
    const result = await runner.run(
      "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000) SELECT count(*) FROM c",
      { runId: "long", waitMs: null },
    );
    expect(result).toEqual({ status: "success", rowsChanged: 0, recorded: false });
  } finally {
    runner.close();
  }
});

test("a job process whose hookd is killed (kill -9) mid-job ends itself: the lock is free and nothing is kept", async () => {
  const script = `
    const { createSqlJobRunner } = await import(${JSON.stringify(`${import.meta.dir}/../../src/cron/sql_job_runner.ts`)});
    const { openDatabase } = await import(${JSON.stringify(`${import.meta.dir}/../../src/db/client.ts`)});
    const db = await openDatabase(process.env.JOB_DB);
    const runner = createSqlJobRunner(process.env.JOB_DB, db, { timeoutMs: 0, processes: 1 });
    void runner.run(${JSON.stringify(ENDLESS_WRITE)}, { runId: "orphan", waitMs: null });
    await new Promise(() => {});`;
  const hookd = Bun.spawn([process.execPath, "-e", script], {
    env: { ...process.env, JOB_DB: url },
    stderr: "inherit",
  });
  const childOf = (pid: number) => {
    try {
      return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    } catch {
      return [];
    }
  };
  const [job] = await until(
    () => childOf(hookd.pid),
    (c) => c.length > 0,
  );
  expect(job).toBeGreaterThan(0);
  // The job is computing (a third of a second of CPU): it holds the write lock and rows it has not committed.
  const cpuTicks = () => {
    try {
      const stat = readFileSync(`/proc/${job}/stat`, "utf8").split(") ")[1]!.split(" ");
      return Number(stat[11]) + Number(stat[12]);
    } catch {
      return 0;
    }
  };
  expect(await until(cpuTicks, (n) => n > 30)).toBeGreaterThan(30);
  hookd.kill("SIGKILL");
  await hookd.exited;
  const alive = (pid: number) => {
    try {
      return !readFileSync(`/proc/${pid}/stat`, "utf8").split(" ")[2]!.startsWith("Z");
    } catch {
      return false;
    }
  };
  expect(
    await until(
      () => alive(job!),
      (a) => !a,
    ),
  ).toBe(false);
  expect((await db.execute("INSERT INTO notes (n) VALUES (-4)")).rowsAffected).toBe(1);
  expect(await notesAbove0()).toBe(1); // the 43 committed above, nothing of the orphan
});
