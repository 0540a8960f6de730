// A writing SQL job that meets a locked database waits in its job process, not on hookd's main
// thread. Another process takes the write lock (writing a row) and keeps it until told to let
// go, while a job that reads for a while and then inserts into a collection is run: timers on
// the event loop fire while the job cannot finish, the job succeeds once the lock is free, and
// every insert — the other process's and the job's — fires the capture trigger.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { embeddedPath } from "../src/db/client";
import { tempDbUrl } from "./support/temp_db";
import { makeTestApp, type TestApp } from "./support/test_app";
import { waitUntil } from "./support/wait";

const JOB =
  "SELECT (SELECT count(*) FROM items), count(*) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000) SELECT x FROM c); INSERT INTO items (n) VALUES (1), (2)";

// Runs in its own process: holds the lock from "locked" until a line arrives on its stdin.
const HOLDER = `
const Database = require(${JSON.stringify(join(import.meta.dir, "../node_modules/libsql"))});
const db = new Database(process.env.HOLD_DB);
db.exec("BEGIN IMMEDIATE");
db.prepare("INSERT INTO items (n) VALUES (100)").run();
console.log("locked");
for await (const _line of console) break;
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

test("the job waits for the lock in its own process while the event loop keeps turning", async () => {
  const holder = Bun.spawn([process.execPath, "-e", HOLDER], {
    env: { ...process.env, HOLD_DB: embeddedPath(url) },
    stdin: "pipe",
    stdout: "pipe",
    stderr: "pipe",
  });
  const out = holder.stdout.getReader();
  let said = "";
  while (!said.includes("locked")) {
    const { value, done } = await out.read();
    if (done) throw new Error(`the holder ended: ${said}${await new Response(holder.stderr).text()}`);
    said += new TextDecoder().decode(value);
  }

  let ran = false;
  const run = t.request("POST", "/api/cron/fill/run").finally(() => (ran = true));
  // Waiting for the lock on the event loop would stop these until the lock is let go.
  let ticks = 0;
  const ticker = setInterval(() => ticks++, 10);
  await waitUntil("timers to fire while the lock is held", () => ticks > 5 || ran);
  clearInterval(ticker);
  expect(ran).toBe(false);
  holder.stdin.write("go\n");
  await holder.stdin.end();
  const { body } = await run;
  expect(await holder.exited).toBe(0);
  expect(body).toMatchObject({ status: "success", rowsChanged: 2, error: null });
  const items = Number((await t.deps.db.execute("SELECT count(*) AS n FROM items")).rows[0]!.n);
  const logs = Number(
    (await t.deps.db.execute("SELECT count(*) AS n FROM _webhook_logs WHERE collection = 'items'")).rows[0]!.n,
  );
  expect(items).toBe(1 + 2);
  expect(logs).toBe(items);
}, 30_000);
