// A writing SQL job that meets a locked database waits in its job process, not on hookd's main
// thread. Another process holds the write lock (having written a row) until the test lets it
// go; meanwhile the run cannot end and the API keeps answering. Once the lock is released the
// job runs, its own transaction records the run, and every insert — the other process's and
// the job's — fired the capture trigger. Every wait is for a condition.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { embeddedPath } from "../../src/db/client";
import { tempDbUrl } from "../support/temp_db";
import { makeTestApp, type TestApp } from "../support/test_app";

const JOB =
  "SELECT (SELECT count(*) FROM items), count(*) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 200000) SELECT x FROM c); INSERT INTO items (n) VALUES (1), (2)";

// Runs in its own process: takes the lock, says so, and holds it until a line comes on stdin.
const HOLDER = `
const Database = require(${JSON.stringify(join(import.meta.dir, "../../node_modules/libsql"))});
const db = new Database(process.env.HOLD_DB);
db.exec("BEGIN IMMEDIATE");
db.prepare("INSERT INTO items (n) VALUES (100)").run();
console.log("holding");
for await (const _ of console) break;
db.exec("COMMIT");
`;

let t: TestApp;
let url: string;

beforeAll(async () => {
  url = tempDbUrl("hookd-busy-");
  t = await makeTestApp({ dbUrl: url });
  await t.request("POST", "/api/collections", {
    name: "items",
    fields: [{ name: "n", type: "number" }],
    triggers: [{ action: "create", url: "http://127.0.0.1:9/i" }],
  });
  await t.request("POST", "/api/cron", { name: "fill", schedule: "0 0 1 1 *", type: "sql", active: false, sql: JOB });
});
afterAll(() => {
  t.deps.sqlJobs.close();
  t.deps.db.close();
});

test("the job waits for the lock in its process while hookd keeps answering", async () => {
  // The run's row is written first: hookd's own writes would wait for the lock too.
  const runId = "busy-run";
  await t.deps.db.execute({
    sql: "INSERT INTO _cron_runs (id, job, kind, scheduled_at, started_at, status, instance, lease_expires_at) VALUES (?, 'fill', 'manual', ?, ?, 'running', 'test', ?)",
    args: [runId, new Date().toISOString(), new Date().toISOString(), new Date(Date.now() + 60_000).toISOString()],
  });
  const holder = Bun.spawn([process.execPath, "-e", HOLDER], {
    env: { ...process.env, HOLD_DB: embeddedPath(url) },
    stdin: "pipe",
    stdout: "pipe",
    stderr: "inherit",
  });
  expect(new TextDecoder().decode((await holder.stdout.getReader().read()).value)).toContain("holding");

  const run = t.deps.sqlJobs.run(JOB, { runId, waitMs: null });
  // While the lock is held the run cannot end, and hookd answers meanwhile.
  for (let i = 0; i < 5; i++) expect((await t.request("GET", "/api/cron/fill")).status).toBe(200);
  expect(await Promise.race([run.then(() => "ended"), Promise.resolve("pending")])).toBe("pending");

  holder.stdin.write("release\n");
  await holder.stdin.end();
  expect(await holder.exited).toBe(0);
  expect(await run).toEqual({ status: "success", rowsChanged: 2, recorded: true });
  expect((await t.request("GET", "/api/cron/fill/runs")).body.items[0]).toMatchObject({
    id: runId,
    status: "success",
    rowsChanged: 2,
  });
  const items = Number((await t.deps.db.execute("SELECT count(*) AS n FROM items")).rows[0]!.n);
  const logs = Number(
    (await t.deps.db.execute("SELECT count(*) AS n FROM _webhook_logs WHERE collection = 'items'")).rows[0]!.n,
  );
  expect(items).toBe(3);
  expect(logs).toBe(items);
}, 30_000);
