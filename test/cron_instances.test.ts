// Two hookd instances on one database file: each tick runs once in all, and a job created
// through one instance is picked up by the other's periodic reload.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startCronScheduler, type CronScheduler } from "../src/cron/cron_scheduler";
import { makeTestApp, type TestApp } from "./support/test_app";

const dir = mkdtempSync(join(tmpdir(), "hookd-cron-"));
const dbUrl = `file:${join(dir, "shared.db")}`;
let a: TestApp, b: TestApp;
let schedulers: CronScheduler[];

beforeAll(async () => {
  a = await makeTestApp({ dbUrl, instanceId: "instance-a" });
  b = await makeTestApp({ dbUrl, instanceId: "instance-b" });
  schedulers = [
    await startCronScheduler(a.deps, { reloadMs: 100 }),
    await startCronScheduler(b.deps, { reloadMs: 100 }),
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
  // Created through A only: B learns of it from its periodic reload of _cron_jobs.
  const res = await a.request("POST", "/api/cron", {
    name: "count",
    schedule: "* * * * * *",
    type: "sql",
    sql: "INSERT INTO ticks (n) VALUES (1)",
  });
  expect(res.status).toBe(200);
  await Bun.sleep(4_300);
  await a.request("PATCH", "/api/cron/count", { active: false });
  await Bun.sleep(300);

  const runs = (await b.deps.db.execute("SELECT * FROM _cron_runs WHERE job = 'count' ORDER BY scheduled_at")).rows;
  const succeeded = runs.filter((r) => r.status === "success");
  expect(succeeded.length).toBeGreaterThanOrEqual(3);
  expect(new Set(runs.map((r) => r.scheduled_at)).size).toBe(runs.length);
  const inserted = await b.deps.db.execute("SELECT count(*) AS n FROM ticks");
  expect(Number(inserted.rows[0]!.n)).toBe(succeeded.length);
  expect(runs.every((r) => r.instance === "instance-a" || r.instance === "instance-b")).toBe(true);
}, 10_000);

test("a job created through one instance is run by the other once the first stops", async () => {
  await schedulers[0]!.stop();
  await a.request("POST", "/api/cron", { name: "b-only", schedule: "* * * * * *", type: "sql", sql: "SELECT 1" });
  await Bun.sleep(1_600);
  const runs = (await b.deps.db.execute("SELECT instance, status FROM _cron_runs WHERE job = 'b-only'")).rows;
  expect(runs.length).toBeGreaterThanOrEqual(1);
  expect(runs.every((r) => r.instance === "instance-b" && r.status === "success")).toBe(true);
}, 5_000);
