// The SQL job runner's child processes (cron/sql_job_runner.ts, sql_job_process.ts): jobs that
// overlap get a process each; when they finish, two stay for the next jobs and the rest end, as
// do the idle ones on close. A run past its time limit is stopped by ending its process: the
// database lock it held is free at once, nothing it wrote is kept, and the next run works; a
// run whose COMMIT began first is not stopped. Counted as the child processes of this test
// process.
import { afterAll, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { createSqlJobRunner } from "../src/cron/sql_job_runner";
import { claimRunEnd, COMMITTING, newRunState, STOPPED } from "../src/cron/sql_job_state";
import type { SqlJobReply, SqlJobRequest } from "../src/cron/sql_job_worker";
import { tempDbUrl } from "./support/temp_db";
import { makeTestApp } from "./support/test_app";

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

const url = tempDbUrl("hookd-runner-");
const t = await makeTestApp({ dbUrl: url });
const db = t.deps.db;
await t.request("POST", "/api/collections", { name: "notes", fields: [{ name: "n", type: "number" }] });
afterAll(() => {
  t.deps.sqlJobs.close();
  db.close();
});

async function settle(toAtMost: number): Promise<number> {
  const deadline = Date.now() + 10_000;
  while (children().length > toAtMost && Date.now() < deadline) await Bun.sleep(20);
  return children().length;
}

test("four overlapping jobs run in four processes; after them two stay idle and two end; close ends those two too", async () => {
  const before = children().length;
  const runner = createSqlJobRunner(url, db, 0);
  // Reads for a few hundred ms, so the four overlap; a read-only job changes no rows.
  const job =
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000) SELECT count(*) FROM c";
  const runs = Promise.all([1, 2, 3, 4].map(() => runner.run(job)));
  await Bun.sleep(150);
  expect(children().length).toBe(before + 4);
  expect(await runs).toEqual([0, 0, 0, 0]);
  expect(await settle(before + 2)).toBe(before + 2);
  const idle = children();
  expect(await runner.run(job)).toBe(0); // an idle process takes the next job
  expect(children()).toEqual(idle);
  runner.close();
  expect(await settle(before)).toBe(before);
});

test("a run past the time limit is stopped: its writes are not kept, the lock is free at once, and the next run works", async () => {
  const runner = createSqlJobRunner(url, db, 500);
  try {
    // Writes rows without end, holding the write lock all along.
    const endless =
      "INSERT INTO notes (n) SELECT x FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c)";
    const started = Date.now();
    const error = await runner.run(endless).then(
      () => null,
      (err: Error) => err.message,
    );
    const took = Date.now() - started;
    expect(error).toBe("stopped after 500 ms, the limit HOOKD_SQL_JOB_TIMEOUT sets; nothing it wrote was kept");
    expect(took).toBeGreaterThanOrEqual(500);
    // hookd's own connection writes at once (its group commit would wait for a held lock).
    expect((await db.execute("INSERT INTO notes (n) VALUES (-1)")).rowsAffected).toBe(1);
    expect((await db.execute("SELECT count(*) AS n FROM notes WHERE n > 0")).rows[0]!.n).toBe(0);
    expect(await runner.run("UPDATE notes SET n = -2 WHERE n = -1")).toBe(1);
  } finally {
    runner.close();
  }
});

test("with no limit (0) a long run finishes", async () => {
  const runner = createSqlJobRunner(url, db, 0);
  try {
    expect(
      await runner.run(
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000) SELECT count(*) FROM c",
      ),
    ).toBe(0);
  } finally {
    runner.close();
  }
});

test("close during a run ends it: the run fails saying so, and nothing it wrote is kept", async () => {
  const runner = createSqlJobRunner(url, db, 0);
  const endless =
    "INSERT INTO notes (n) SELECT x FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c)";
  const run = runner.run(endless).then(
    () => null,
    (err: Error) => err.message,
  );
  await Bun.sleep(300);
  runner.close();
  expect(await run).toMatch(
    /^the job's process ended before the job did \(SIGTERM\); what it had not committed is rolled back$/,
  );
  expect((await db.execute("SELECT count(*) AS n FROM notes WHERE n > 0")).rows[0]!.n).toBe(0);
  expect((await db.execute("INSERT INTO notes (n) VALUES (-3)")).rowsAffected).toBe(1);
});

test("the time limit and a COMMIT meeting: only the first to claim the run's end acts", () => {
  const stopFirst = newRunState();
  expect(claimRunEnd(stopFirst, STOPPED)).toBe(true);
  expect(claimRunEnd(stopFirst, COMMITTING)).toBe(false);
  const commitFirst = newRunState();
  expect(claimRunEnd(commitFirst, COMMITTING)).toBe(true);
  expect(claimRunEnd(commitFirst, STOPPED)).toBe(false);
});

test("a job thread whose run was stopped rolls it back instead of committing", async () => {
  const worker = new Worker(new URL("../src/cron/sql_job_worker.ts", import.meta.url).href);
  try {
    const state = newRunState();
    claimRunEnd(state, STOPPED);
    const reply = new Promise<SqlJobReply>((resolve) => (worker.onmessage = ({ data }) => resolve(data)));
    worker.postMessage({ op: "run", url, sql: "INSERT INTO notes (n) VALUES (42)", state } satisfies SqlJobRequest);
    expect(await reply).toEqual({ ok: false, refused: false, error: "stopped at its time limit" });
    expect((await db.execute("SELECT count(*) AS n FROM notes WHERE n = 42")).rows[0]!.n).toBe(0);
    expect((await db.execute("INSERT INTO notes (n) VALUES (-4)")).rowsAffected).toBe(1);
  } finally {
    worker.terminate();
  }
});
