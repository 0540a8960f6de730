// The scheduler with seconds-level schedules: on real timers, ticks on time, SQL jobs firing
// capture triggers and no overlap; in fake time, pause/resume and changes taking effect
// without a restart.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startCronScheduler, type CronScheduler } from "../src/cron/cron_scheduler";
import type { Deps } from "../src/deps";
import { FakeTimers } from "./support/fake_timers";
import { makeTestApp, type TestApp } from "./support/test_app";

let t: TestApp;
let scheduler: CronScheduler;

beforeAll(async () => {
  t = await makeTestApp();
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
  timeoutMs = 6_000,
): Promise<RunRow[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const runs = await runsOf(deps, job);
    if (done(runs)) return runs;
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for runs of ${job}: ${JSON.stringify(runs.map((r) => [r.scheduled_at, r.status, r.error]))}`,
      );
    await Bun.sleep(20);
  }
}

const finished = (runs: RunRow[]) => runs.filter((r) => r.status === "success" || r.status === "failed");

async function create(body: Record<string, unknown>): Promise<void> {
  const res = await t.request("POST", "/api/cron", body);
  if (res.status !== 200) throw new Error(`creating ${body.name}: ${res.status} ${JSON.stringify(res.body)}`);
}

test("an HTTP job every second runs on each tick, on time, and enqueues one cron delivery per run", async () => {
  await create({
    name: "every-second",
    schedule: "*/1 * * * * *",
    type: "http",
    url: "http://127.0.0.1:9/tick",
    body: { ping: true },
  });
  const runs = (await waitForRuns(t.deps, "every-second", (r) => finished(r).length >= 3)).filter(
    (r) => r.status === "success",
  );
  await t.request("DELETE", "/api/cron/every-second");
  for (const [i, run] of runs.entries()) {
    expect(run.scheduled_at).toMatch(/:\d\d\.000Z$/);
    if (i > 0) expect(Date.parse(run.scheduled_at) - Date.parse(runs[i - 1]!.scheduled_at)).toBe(1000);
    expect(Date.parse(run.started_at) - Date.parse(run.scheduled_at)).toBeLessThan(250);
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
  const [run] = finished(await waitForRuns(t.deps, "beat", (r) => finished(r).length >= 1));
  await t.request("DELETE", "/api/cron/beat");
  expect(run).toMatchObject({ status: "success", rows_changed: 1, error: null });
  const logs = await t.deps.db.execute(
    "SELECT * FROM _webhook_logs WHERE source = 'trigger' AND collection = 'heartbeats'",
  );
  expect(logs.rows.length).toBeGreaterThanOrEqual(1);
  expect(logs.rows[0]).toMatchObject({ action: "create", status: "pending", url: "http://127.0.0.1:9/beat" });
  expect(JSON.parse(String(logs.rows[0]!.payload)).record.note).toBe("from cron");
}, 10_000);

test("a slow SQL job is never overlapped: ticks during a run are recorded as skipped", async () => {
  // About 1.5 s of work on a 1 s schedule; embedded SQLite holds the event loop meanwhile,
  // which is the harder case: the next tick is noticed only after the run ends.
  const slow =
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 9000000) SELECT count(*) FROM c";
  await create({ name: "slow", schedule: "* * * * * *", type: "sql", sql: slow });
  // Generous: on a loaded 2-core machine one run has taken 4–9 s.
  const runs = await waitForRuns(
    t.deps,
    "slow",
    (r) => finished(r).length >= 2 && r.some((x) => x.status === "skipped"),
    40_000,
  );
  await t.request("DELETE", "/api/cron/slow");
  const skipped = runs.filter((r) => r.status === "skipped");
  expect(skipped[0]!.error).toContain("previous run of this job was still running");
  const done = finished(runs);
  for (let i = 1; i < done.length; i++) expect(done[i]!.started_at >= done[i - 1]!.finished_at).toBe(true);
}, 45_000);

// Pausing, resuming, changing and deleting are about which timers are armed, so these run in
// fake time: a minute passes in no time and nothing depends on how busy the machine is.
describe("in fake time", () => {
  const time = new FakeTimers(Date.parse("2026-03-01T00:00:00.500Z"));
  let f: TestApp;
  let fake: CronScheduler;

  beforeAll(async () => {
    f = await makeTestApp({}, { clock: time.clock, timers: time });
    fake = await startCronScheduler(f.deps);
  });
  afterAll(() => fake.stop());

  /** change calls the API, then waits for the reload its cronChanged signal asked for. */
  async function change(method: string, path: string, body?: unknown): Promise<void> {
    const res = await f.request(method, path, body);
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    await fake.reload();
  }

  /** runsAfter answers the runs once the ticks fired so far have written theirs (they are queued before this read). */
  async function runsAfter(job: string): Promise<RunRow[]> {
    await runsOf(f.deps, job);
    return runsOf(f.deps, job);
  }

  test("pause stops ticks and resume starts them again, without a restart", async () => {
    await change("POST", "/api/cron", { name: "pausable", schedule: "* * * * * *", type: "sql", sql: "SELECT 1" });
    time.advance(1_000);
    await waitForRuns(f.deps, "pausable", (r) => finished(r).length >= 1);
    await change("PATCH", "/api/cron/pausable", { active: false });
    const atPause = (await runsOf(f.deps, "pausable")).length;
    time.advance(60_000);
    expect(await runsAfter("pausable")).toHaveLength(atPause);
    await change("PATCH", "/api/cron/pausable", { active: true });
    time.advance(2_000);
    await waitForRuns(f.deps, "pausable", (r) => r.length >= atPause + 2);
    await change("DELETE", "/api/cron/pausable");
  });

  test("a deleted job stops at once; a schedule change applies at once", async () => {
    await change("POST", "/api/cron", { name: "changing", schedule: "0 0 1 1 *", type: "sql", sql: "SELECT 1" });
    time.advance(5_000);
    expect(await runsAfter("changing")).toHaveLength(0);
    await change("PATCH", "/api/cron/changing", { schedule: "* * * * * *" });
    time.advance(1_000);
    await waitForRuns(f.deps, "changing", (r) => r.length >= 1);
    await change("DELETE", "/api/cron/changing");
    time.advance(5_000);
    expect(await runsAfter("changing")).toHaveLength(0);
  });
});
