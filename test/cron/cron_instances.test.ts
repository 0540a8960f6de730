// Two hookd instances on one database file, on one fake time line: each tick runs once in all,
// and a job created through one instance is picked up by the other's periodic reload.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startCronScheduler, type CronScheduler } from "../../src/cron/cron_scheduler";
import { FakeTimers } from "../support/fake_timers";
import { makeTestApp, type TestApp } from "../support/test_app";
import { waitUntil } from "../support/wait";

const dir = mkdtempSync(join(tmpdir(), "hookd-cron-"));
const dbUrl = `file:${join(dir, "shared.db")}`;
let a: TestApp, b: TestApp;
let schedulers: CronScheduler[];
// A file database's SQL jobs run in job processes, which date a run's end by the real clock:
// fake time starts an hour ahead, so a run never seems to end after the next tick.
const time = new FakeTimers(Math.ceil((Date.now() + 3_600_000) / 1_000) * 1_000);
const RELOAD_MS = 100;

beforeAll(async () => {
  const fake = { clock: time.clock, timers: time };
  a = await makeTestApp({ dbUrl, instanceId: "instance-a" }, fake);
  b = await makeTestApp({ dbUrl, instanceId: "instance-b" }, fake);
  schedulers = [
    await startCronScheduler(a.deps, { reloadMs: RELOAD_MS }),
    await startCronScheduler(b.deps, { reloadMs: RELOAD_MS }),
  ];
});
afterAll(async () => {
  await Promise.all(schedulers.map((s) => s.stop()));
  a.deps.db.close();
  b.deps.db.close();
  rmSync(dir, { recursive: true, force: true });
});

test("each tick of a job runs once in all, whichever instance claims it", async () => {
  await a.request("POST", "/api/collections", { name: "ticks", fields: [{ name: "n", type: "number" }] });
  const armed = time.armed;
  // Created through A only: B learns of it from its periodic reload of _cron_jobs.
  const res = await a.request("POST", "/api/cron", {
    name: "count",
    schedule: "* * * * * *",
    type: "sql",
    sql: "INSERT INTO ticks (n) VALUES (1)",
  });
  expect(res.status).toBe(200);
  // A arms it at once; B once its next reload has read it.
  time.advance(RELOAD_MS);
  await waitUntil("both instances to arm the job", () => time.armed === armed + 2);
  for (let n = 1; n <= 4; n++) {
    time.advance(1_000);
    await waitUntil(`tick ${n} to be run`, async () => (await finishedRuns(b, "count")) >= n);
  }
  await a.request("PATCH", "/api/cron/count", { active: false });
  await Promise.all(schedulers.map((s) => s.reload()));
  const runs = (await b.deps.db.execute("SELECT * FROM _cron_runs WHERE job = 'count' ORDER BY scheduled_at")).rows;
  const succeeded = runs.filter((r) => r.status === "success");
  expect(runs.map((r) => r.status)).toEqual(["success", "success", "success", "success"]);
  expect(new Set(runs.map((r) => r.scheduled_at)).size).toBe(runs.length);
  const inserted = await b.deps.db.execute("SELECT count(*) AS n FROM ticks");
  expect(Number(inserted.rows[0]!.n)).toBe(succeeded.length);
  expect(runs.every((r) => r.instance === "instance-a" || r.instance === "instance-b")).toBe(true);
});

test("a job created through one instance is run by the other once the first stops", async () => {
  await schedulers[0]!.stop();
  const armed = time.armed;
  await a.request("POST", "/api/cron", { name: "b-only", schedule: "* * * * * *", type: "sql", sql: "SELECT 1" });
  time.advance(RELOAD_MS);
  await waitUntil("B to arm the job", () => time.armed === armed + 1);
  time.advance(1_000);
  await waitUntil("the tick to be run", async () => (await finishedRuns(b, "b-only")) >= 1);
  const runs = (await b.deps.db.execute("SELECT instance, status FROM _cron_runs WHERE job = 'b-only'")).rows;
  expect(runs.map((r) => [r.instance, r.status])).toEqual([["instance-b", "success"]]);
});

/** finishedRuns counts the job's runs that have ended, as one instance reads them. */
async function finishedRuns(t: TestApp, job: string): Promise<number> {
  const rs = await t.deps.db.execute({
    sql: "SELECT count(*) AS n FROM _cron_runs WHERE job = ? AND status IN ('success', 'failed')",
    args: [job],
  });
  return Number(rs.rows[0]!.n);
}
