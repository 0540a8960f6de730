// The limits on SQL job runs, on an embedded file and on a real sqld: a run is stopped through
// the API (REST POST /api/cron/:name/stop and GraphQL stopCronRun) and at HOOKD_SQL_JOB_TIMEOUT
// on both, keeping nothing; at most HOOKD_SQL_JOB_PROCESSES run at once, and a scheduled tick
// that cannot start before the job's next tick is recorded skipped; a run a stopped instance
// left "running" is closed when the scheduler starts, or once its lease runs out. Every wait
// is for a condition.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startCronScheduler, type CronScheduler } from "../../src/cron/cron_scheduler";
import type { Config } from "../../src/config";
import { sqldAvailable, startSqld, type Sqld } from "../support/sqld";
import { tempDbUrl } from "../support/temp_db";
import { makeTestApp, type TestApp } from "../support/test_app";

const ENDLESS_READ = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c";
const ENDLESS_WRITE =
  "INSERT INTO items (n) SELECT x FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c)";

async function until<T>(what: () => Promise<T>, ok: (v: T) => boolean, withinMs = 30_000): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const v = await what();
    if (ok(v) || Date.now() > deadline) return v;
    await Bun.sleep(20);
  }
}

function describeBackend(name: string, enabled: boolean, dbUrl: () => Promise<string>, cleanup: () => Promise<void>) {
  describe.skipIf(!enabled)(name, () => {
    let t: TestApp;
    let url: string;
    const boot = async (overrides: Partial<Config>) => {
      const app = await makeTestApp({ dbUrl: url, ...overrides });
      await app.request("POST", "/api/collections", {
        name: "items",
        fields: [{ name: "n", type: "number" }],
        triggers: [{ action: "create", url: "http://127.0.0.1:9/i" }],
      });
      return app;
    };
    const job = (app: TestApp, name: string, sql: string, schedule = "0 0 1 1 *", active = false) =>
      app.request("POST", "/api/cron", { name, schedule, type: "sql", active, sql });
    const lastRun = async (app: TestApp, name: string) =>
      (await app.request("GET", `/api/cron/${name}/runs?perPage=1`)).body.items[0];
    const kept = async (app: TestApp) =>
      Number((await app.deps.db.execute("SELECT count(*) AS n FROM items WHERE n > 0")).rows[0]!.n);
    const captured = async (app: TestApp) =>
      Number((await app.deps.db.execute("SELECT count(*) AS n FROM _webhook_logs")).rows[0]!.n);

    beforeAll(async () => {
      url = await dbUrl();
      t = await boot({ sqlJobTimeoutMs: 0 });
      expect((await job(t, "endless", ENDLESS_WRITE)).status).toBe(200);
    }, 30_000);
    afterAll(async () => {
      t?.deps.sqlJobs.close();
      t?.deps.db.close();
      await cleanup();
    });

    test("a run is stopped through REST: it ends failed, nothing it wrote is kept, and the database writes again", async () => {
      const run = t.request("POST", "/api/cron/endless/run");
      await until(
        () => lastRun(t, "endless"),
        (r) => r?.status === "running",
      );
      const stopped = await t.request("POST", "/api/cron/endless/stop");
      expect(stopped.status).toBe(200);
      expect(stopped.body).toMatchObject({
        status: "failed",
        error: "stopped through the API; nothing it wrote was kept",
      });
      expect((await run).body.id).toBe(stopped.body.id);
      expect(await kept(t)).toBe(0);
      expect(await captured(t)).toBe(0);
      expect((await t.request("POST", "/api/collections/items/records", { n: -1 })).status).toBe(200);
      expect(await captured(t)).toBe(1);
    }, 60_000);

    test("and through GraphQL; with nothing running, stopping is a 409 (REST) or CONFLICT (GraphQL)", async () => {
      const run = t.request("POST", "/api/cron/endless/run");
      await until(
        () => lastRun(t, "endless"),
        (r) => r?.status === "running",
      );
      const stopped = await t.graphql(`mutation { stopCronRun(name: "endless") { status error } }`);
      expect(stopped.body.data.stopCronRun).toEqual({
        status: "FAILED",
        error: "stopped through the API; nothing it wrote was kept",
      });
      await run;
      expect(await kept(t)).toBe(0);
      const none = await t.request("POST", "/api/cron/endless/stop");
      expect(none.status).toBe(409);
      expect(none.body.message).toContain("no run in progress");
      const gqlNone = await t.graphql(`mutation { stopCronRun(name: "endless") { status } }`);
      expect(gqlNone.body.errors[0].extensions.code).toBe("CONFLICT");
      expect((await t.request("POST", "/api/cron/nope/stop")).status).toBe(404);
    }, 60_000);

    test("a run on another instance is marked by the stop and stopped there; one holding the write lock is a 409", async () => {
      const other = await makeTestApp({ dbUrl: url, sqlJobTimeoutMs: 0, pollMs: 20 });
      try {
        expect((await job(t, "remote-read", ENDLESS_READ)).status).toBe(200);
        const reading = other.request("POST", "/api/cron/remote-read/run");
        await until(
          () => lastRun(t, "remote-read"),
          (r) => r?.status === "running",
        );
        const marked = await t.request("POST", "/api/cron/remote-read/stop");
        expect(marked.status).toBe(200);
        expect(marked.body).toMatchObject({ status: "running", error: "stop requested through the API" });
        expect((await reading).body).toMatchObject({
          status: "failed",
          error: "stopped through the API; nothing it wrote was kept",
        });

        // A writing run holds the lock the mark needs: refused, saying who can stop it.
        const writing = other.request("POST", "/api/cron/endless/run");
        await until(
          () => lastRun(t, "endless"),
          (r) => r?.status === "running",
        );
        const refused = await t.request("POST", "/api/cron/endless/stop");
        if (refused.status === 409) expect(refused.body.message).toContain("holds the database's write lock");
        else expect(refused.body.error).toBe("stop requested through the API"); // marked before the job began
        expect((await other.request("POST", "/api/cron/endless/stop")).status).toBeOneOf([200, 409]);
        expect((await writing).body.status).toBe("failed");
        expect(await kept(t)).toBe(0);
      } finally {
        other.deps.sqlJobs.close();
        other.deps.db.close();
      }
    }, 60_000);

    test("a run past HOOKD_SQL_JOB_TIMEOUT is stopped, keeping nothing", async () => {
      const limited = await makeTestApp({ dbUrl: url, sqlJobTimeoutMs: 500 });
      try {
        const run = (await limited.request("POST", "/api/cron/endless/run")).body;
        expect(run).toMatchObject({
          status: "failed",
          error: "stopped after 500 ms, the limit HOOKD_SQL_JOB_TIMEOUT sets; nothing it wrote was kept",
        });
        expect(await kept(limited)).toBe(0);
        expect((await limited.request("POST", "/api/collections/items/records", { n: -2 })).status).toBe(200);
      } finally {
        limited.deps.sqlJobs.close();
        limited.deps.db.close();
      }
    }, 60_000);

    test("with HOOKD_SQL_JOB_PROCESSES=1 busy, a tick that cannot start before the next is recorded skipped", async () => {
      const one = await makeTestApp({ dbUrl: url, sqlJobTimeoutMs: 0, sqlJobProcesses: 1 });
      let scheduler: CronScheduler | undefined;
      try {
        // A long read holds the one slot (a write would hold the database's lock as well).
        expect((await job(one, "long-read", ENDLESS_READ)).status).toBe(200);
        const hog = one.request("POST", "/api/cron/long-read/run");
        await until(
          () => lastRun(one, "long-read"),
          (r) => r?.status === "running",
        );
        expect((await job(one, "every-second", "SELECT 1", "* * * * * *", true)).status).toBe(200);
        scheduler = await startCronScheduler(one.deps);
        // Each tick waits for the slot until just before the next tick, then is recorded skipped.
        const runs = async () => {
          const res = await one.request("GET", "/api/cron/every-second/runs?perPage=100");
          return res.body.items ?? [];
        };
        const poolSkipped = (rs: { status: string; error: string | null }[]) =>
          rs.find((r) => r.status === "skipped" && r.error?.includes("HOOKD_SQL_JOB_PROCESSES"));
        const skipped = poolSkipped(await until(runs, (rs) => poolSkipped(rs) !== undefined));
        expect(skipped?.error).toBe(
          "skipped: all 1 SQL job slots (HOOKD_SQL_JOB_PROCESSES) were busy until the job's next tick",
        );
        expect((await one.request("POST", "/api/cron/long-read/stop")).status).toBe(200);
        await hog;
        const ran = await until(runs, (rs: { status: string }[]) => rs.some((r) => r.status === "success"));
        expect(ran.some((r: { status: string }) => r.status === "success")).toBe(true);
      } finally {
        await scheduler?.stop();
        await one.request("PATCH", "/api/cron/every-second", { active: false });
        one.deps.sqlJobs.close();
        one.deps.db.close();
      }
    }, 60_000);

    test("a run a stopped instance left running is closed at start, or once its lease runs out", async () => {
      const insertRun = (id: string, instance: string, leaseMs: number, startedAt = new Date().toISOString()) =>
        t.deps.db.execute({
          sql: `INSERT INTO _cron_runs (id, job, kind, scheduled_at, started_at, status, instance, lease_expires_at)
                VALUES (?, 'endless', 'schedule', ?, ?, 'running', ?, ?)`,
          args: [
            id,
            `2026-01-01T00:00:00.000Z-${id}`,
            startedAt,
            instance,
            new Date(Date.now() + leaseMs).toISOString(),
          ],
        });
      const status = async (id: string) =>
        String(
          (await t.deps.db.execute({ sql: "SELECT status FROM _cron_runs WHERE id = ?", args: [id] })).rows[0]!.status,
        );
      await insertRun("expired", "gone", -1);
      await insertRun("mine", t.deps.config.instanceId, 60_000, "2000-01-01T00:00:00.000Z");
      await insertRun("mine-now", t.deps.config.instanceId, 60_000);
      await insertRun("other", "alive", 60_000);
      const scheduler = await startCronScheduler(t.deps, { reloadMs: 50 });
      try {
        // At start: the run whose lease ran out, and this instance's run from before this process
        // (one it started since is its own, alive).
        expect(await status("expired")).toBe("failed");
        expect(await status("mine")).toBe("failed");
        expect(await status("mine-now")).toBe("running");
        expect(await status("other")).toBe("running");
        // Later: a lease that runs out is noticed at the next reload.
        await t.deps.db.execute(
          "UPDATE _cron_runs SET lease_expires_at = '2000-01-01T00:00:00.000Z' WHERE id = 'other'",
        );
        expect(
          await until(
            () => status("other"),
            (s) => s === "failed",
          ),
        ).toBe("failed");
        const closed = (await t.request("GET", "/api/cron/endless/runs?perPage=100")).body.items.find(
          (r: { id: string }) => r.id === "other",
        );
        expect(closed.error).toBe("abandoned: instance alive stopped before the run finished");
      } finally {
        await scheduler.stop();
      }
    }, 30_000);
  });
}

let sqld: Sqld | undefined;
describeBackend(
  "embedded file",
  true,
  async () => tempDbUrl("hookd-limits-"),
  async () => {},
);
describeBackend(
  "libSQL server (sqld)",
  sqldAvailable,
  async () => (sqld = await startSqld()).url,
  async () => sqld?.stop(),
);
