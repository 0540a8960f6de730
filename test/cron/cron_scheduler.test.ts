// The scheduler in fake time with seconds-level schedules: ticks, SQL jobs firing capture
// triggers, no overlap, pause/resume, and changes taking effect without a restart. Time moves
// only when a test says so, so "on time" is exact and "nothing ran" needs no waiting; how
// close to its second a tick starts on real timers is measured in bench/cron_lateness.ts.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startCronScheduler, type CronScheduler } from "../../src/cron/cron_scheduler";
import type { Deps } from "../../src/deps";
import { FakeTimers } from "../support/fake_timers";
import { makeTestApp, type TestApp } from "../support/test_app";

const time = new FakeTimers();
let t: TestApp;
let scheduler: CronScheduler;

beforeAll(async () => {
  t = await makeTestApp({}, { clock: time.clock, timers: time });
  scheduler = await startCronScheduler(t.deps);
});
afterAll(() => scheduler.stop());

type RunRow = Record<string, any>;

async function runsOf(deps: Deps, job: string): Promise<RunRow[]> {
  return (
    await deps.db.execute({ sql: "SELECT * FROM _cron_runs WHERE job = ? ORDER BY scheduled_at", args: [job] })
  ).rows.map((r) => ({ ...r }));
}

async function waitForRuns(
  deps: Deps,
  job: string,
  done: (runs: RunRow[]) => boolean,
  timeoutMs = 10_000,
): Promise<RunRow[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const runs = await runsOf(deps, job);
    if (done(runs)) return runs;
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for runs of ${job}: ${JSON.stringify(runs.map((r) => [r.scheduled_at, r.status, r.error]))}`,
      );
    await Bun.sleep(10);
  }
}

// A SQL job's own transaction marks its run a success; hookd writes the rest (end time, rows
// changed) just after, so a run counts as finished once its end time is there.
const finished = (runs: RunRow[]) =>
  runs.filter((r) => (r.status === "success" || r.status === "failed") && r.finished_at !== null);

/** change calls the cron API and waits for the scheduler to have re-read the jobs, so the next tick sees it. */
async function change(method: string, path: string, body?: Record<string, unknown>): Promise<void> {
  const res = await t.request(method, path, body);
  if (res.status !== 200 && res.status !== 204)
    throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  await scheduler.reload();
}

const create = (body: Record<string, unknown>) => change("POST", "/api/cron", body);

test("an HTTP job every second runs on each tick, at its second, and enqueues one cron delivery per run", async () => {
  await create({
    name: "every-second",
    schedule: "*/1 * * * * *",
    type: "http",
    url: "http://127.0.0.1:9/tick",
    body: { ping: true },
  });
  for (let n = 1; n <= 3; n++) {
    time.advance(1_000);
    await waitForRuns(t.deps, "every-second", (r) => finished(r).length >= n);
  }
  const runs = await runsOf(t.deps, "every-second");
  await change("DELETE", "/api/cron/every-second");
  expect(runs.map((r) => r.status)).toEqual(["success", "success", "success"]);
  for (const [i, run] of runs.entries()) {
    expect(run.scheduled_at).toMatch(/:\d\d\.000Z$/);
    if (i > 0) expect(Date.parse(run.scheduled_at) - Date.parse(runs[i - 1]!.scheduled_at)).toBe(1000);
    expect(run.started_at).toBe(run.scheduled_at);
    expect(run.instance).toBe(t.deps.config.instanceId);
  }
  const logs = await t.deps.db.execute(
    "SELECT * FROM _webhook_logs WHERE source = 'cron' AND cron_job = 'every-second' ORDER BY rowid",
  );
  expect(logs.rows.map((r) => r.id)).toEqual(expect.arrayContaining(runs.map((r) => r.delivery_id)));
  expect(logs.rows[0]).toMatchObject({ url: "http://127.0.0.1:9/tick", payload: '{"ping":true}', status: "pending" });
}, 10_000);

test("a SQL job that inserts into a collection fires that collection's trigger", async () => {
  await t.request("POST", "/api/collections", {
    name: "heartbeats",
    fields: [{ name: "note", type: "text" }],
    triggers: [{ action: "create", url: "http://127.0.0.1:9/beat" }],
  });
  await create({
    name: "beat",
    schedule: "* * * * * *",
    type: "sql",
    sql: "INSERT INTO heartbeats (note) VALUES ('from cron')",
  });
  time.advance(1_000);
  const [run] = finished(await waitForRuns(t.deps, "beat", (r) => finished(r).length >= 1));
  await change("DELETE", "/api/cron/beat");
  expect(run).toMatchObject({ status: "success", rows_changed: 1, error: null });
  const logs = await t.deps.db.execute(
    "SELECT * FROM _webhook_logs WHERE source = 'trigger' AND collection = 'heartbeats'",
  );
  expect(logs.rows.length).toBeGreaterThanOrEqual(1);
  expect(logs.rows[0]).toMatchObject({ action: "create", status: "pending", url: "http://127.0.0.1:9/beat" });
  expect(JSON.parse(String(logs.rows[0]!.payload)).record.note).toBe("from cron");
}, 10_000);

test("a job is never overlapped: a tick while its run is in progress is recorded as skipped", async () => {
  await create({ name: "slow", schedule: "* * * * * *", type: "sql", sql: "SELECT 1" });
  // Two ticks in one step: the second comes before the first run can end, as it would for a
  // run longer than a second.
  time.advance(2_000);
  const runs = await waitForRuns(t.deps, "slow", (r) => r.length >= 2 && finished(r).length >= 1);
  await change("DELETE", "/api/cron/slow");
  expect(runs.map((r) => r.status)).toEqual(["success", "skipped"]);
  expect(runs[1]!.error).toContain("previous run of this job was still running");
});

test("ticks missed while the process was held are recorded as skipped, late, and the schedule goes on", async () => {
  await create({ name: "held", schedule: "* * * * * *", type: "sql", sql: "SELECT 1" });
  time.hold(2_500); // the event loop is held (a long synchronous statement, a paused process)
  time.advance(0);
  const runs = await waitForRuns(t.deps, "held", (r) => r.length >= 2 && finished(r).length >= 1);
  // The tick whose timer was due runs (late); the one that passed meanwhile is only written down.
  expect(runs.map((r) => r.status)).toEqual(["success", "skipped"]);
  expect(runs[1]!.error).toContain("reached this tick 500 ms late");
  time.advance(500);
  const after = await waitForRuns(t.deps, "held", (r) => finished(r).length >= 2);
  expect(after.map((r) => r.status)).toEqual(["success", "skipped", "success"]);
  await change("DELETE", "/api/cron/held");
});

test("pause stops ticks and resume starts them again, without a restart", async () => {
  await create({ name: "pausable", schedule: "* * * * * *", type: "sql", sql: "SELECT 1" });
  time.advance(1_000);
  const [first] = await waitForRuns(t.deps, "pausable", (r) => finished(r).length >= 1);
  await change("PATCH", "/api/cron/pausable", { active: false });
  time.advance(5_000);
  await change("PATCH", "/api/cron/pausable", { active: true });
  time.advance(1_000);
  // A tick while paused would have been claimed before the one after the resume.
  const runs = await waitForRuns(t.deps, "pausable", (r) => finished(r).length >= 2);
  expect(runs.map((r) => Date.parse(r.scheduled_at) - Date.parse(first!.scheduled_at))).toEqual([0, 6_000]);
  await change("DELETE", "/api/cron/pausable");
});

test("a deleted job stops at once; a schedule change applies at once", async () => {
  await create({ name: "changing", schedule: "0 0 1 1 *", type: "sql", sql: "SELECT 1" });
  await create({ name: "witness", schedule: "* * * * * *", type: "sql", sql: "SELECT 1" });
  // Each step waits for the witness's run of that second: a run of "changing" due then would
  // have been claimed before it.
  const step = async (runs: number) => {
    time.advance(1_000);
    await waitForRuns(t.deps, "witness", (r) => finished(r).length >= runs);
  };
  await step(1);
  expect(await runsOf(t.deps, "changing")).toHaveLength(0);
  await change("PATCH", "/api/cron/changing", { schedule: "* * * * * *" });
  await step(2);
  await waitForRuns(t.deps, "changing", (r) => finished(r).length >= 1);
  await change("DELETE", "/api/cron/changing");
  await step(3);
  await step(4);
  expect(await runsOf(t.deps, "changing")).toHaveLength(0);
  await change("DELETE", "/api/cron/witness");
});
