// A SQL job that never ends must not take the server with it. With the built binary on a file
// database and HOOKD_SQL_JOB_TIMEOUT=1s, a job that inserts rows without end (holding the write
// lock) is run: the run is recorded as failed with a message naming the limit, none of its rows
// (nor their captured deliveries) are kept, a record written over REST meanwhile is stored and
// delivered, and the binary's SQL job processes are back to idle ones. The same job is then
// stopped through the API (REST and GraphQL) before its limit. Before the limit, such a
// job held the lock until hookd was killed, and every write failed after 30 s of waiting.
// Job processes are the running binary itself, even once an upgrade replaced its file.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { copyFileSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BINARY, binaryApi, buildBinaryOnce, startBinary, type RunningBinary } from "../support/binary";
import { startReceiver, type Receiver } from "../support/receiver";
import { tempDbUrl } from "../support/temp_db";

const TOKEN = "timeout-token";
const ENDLESS =
  "INSERT INTO items (n) SELECT x FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c)";

let hookd: RunningBinary;
let receiver: Receiver;
const call = binaryApi(TOKEN);
const api = (method: string, path: string, body?: unknown) => call(hookd.url, method, path, body);

/** waitForRunning waits until the job has a run in progress. */
async function waitForRunning(job: string): Promise<void> {
  for (;;) {
    const runs = await (await api("GET", `/api/cron/${job}/runs?perPage=1`)).json();
    if (runs.items[0]?.status === "running") return;
    await Bun.sleep(20);
  }
}

/** childrenOf answers the command lines of a process's children. */
function childrenOf(pid: number): string[] {
  const pids = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
  return pids.map((child) => readFileSync(`/proc/${child}/cmdline`, "utf8").replaceAll("\0", " ").trim());
}

beforeAll(async () => {
  receiver = startReceiver();
  await buildBinaryOnce();
  hookd = await startBinary(tempDbUrl("hookd-timeout-"), {
    HOOKD_ADMIN_TOKEN: TOKEN,
    HOOKD_ALLOW_NETS: "127.0.0.0/8",
    HOOKD_SQL_JOB_TIMEOUT: "1s",
  });
}, 120_000);
afterAll(async () => {
  hookd?.proc.kill("SIGTERM");
  await hookd?.proc.exited;
  await receiver.stop();
});

test("an endless SQL job is stopped at HOOKD_SQL_JOB_TIMEOUT; nothing of it is kept and the server keeps writing", async () => {
  expect(
    (
      await api("POST", "/api/collections", {
        name: "items",
        fields: [{ name: "n", type: "number" }],
        triggers: [{ action: "create", url: `${receiver.url}/items` }],
      })
    ).status,
  ).toBe(200);
  expect(
    (
      await api("POST", "/api/cron", {
        name: "endless",
        schedule: "0 0 1 1 *",
        type: "sql",
        active: false,
        sql: ENDLESS,
      })
    ).status,
  ).toBe(200);

  const run = api("POST", "/api/cron/endless/run");
  await waitForRunning("endless");
  // Waits for the lock the job holds, then is written once the job is stopped.
  const written = await api("POST", "/api/collections/items/records", { n: -1 });
  expect(written.status).toBe(200);

  const finished = await (await run).json();
  expect(finished.status).toBe("failed");
  expect(finished.error).toBe("stopped after 1000 ms, the limit HOOKD_SQL_JOB_TIMEOUT sets; nothing it wrote was kept");

  const items = await (await api("GET", "/api/collections/items/records?perPage=10")).json();
  expect(items.items.map((r: { n: number }) => r.n)).toEqual([-1]);
  const [delivered] = await receiver.waitFor(1);
  expect(delivered!.json.record.n).toBe(-1);
  // The stopped run's captured deliveries were rolled back with it: one delivery in the log.
  const logs = await (await api("GET", "/api/webhooks/logs?perPage=10")).json();
  expect(logs.totalItems).toBe(1);
  // The stopped run's process is gone; at most the idle ones stay.
  expect(childrenOf(hookd.proc.pid).filter((c) => c.includes("__sql-job-process")).length).toBeLessThanOrEqual(2);

  // The job is not stuck "running": the next run starts, and is stopped the same way.
  const again = await (await api("POST", "/api/cron/endless/run")).json();
  expect(again.status).toBe("failed");
  expect(again.error).toContain("stopped after 1000 ms");
}, 60_000);

test("job processes run the binary that is running, even after its file was replaced (an upgrade in place)", async () => {
  const copy = join(tmpdir(), `hookd-upgrade-${process.pid}`);
  copyFileSync(BINARY, copy);
  const old = await startBinary(tempDbUrl("hookd-upgrade-"), { HOOKD_ADMIN_TOKEN: TOKEN }, copy);
  try {
    rmSync(copy);
    writeFileSync(copy, "#!/bin/sh\nexit 1\n", { mode: 0o755 });
    expect(
      (await call(old.url, "POST", "/api/collections", { name: "items", fields: [{ name: "n", type: "number" }] }))
        .status,
    ).toBe(200);
    expect(
      (
        await call(old.url, "POST", "/api/cron", {
          name: "add",
          schedule: "0 0 1 1 *",
          type: "sql",
          active: false,
          sql: "INSERT INTO items (n) VALUES (7)",
        })
      ).status,
    ).toBe(200);
    const run = await (await call(old.url, "POST", "/api/cron/add/run")).json();
    expect([run.status, run.rowsChanged, run.error]).toEqual(["success", 1, null]);
  } finally {
    old.proc.kill("SIGTERM");
    await old.proc.exited;
    rmSync(copy, { force: true });
  }
}, 60_000);
