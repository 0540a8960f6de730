// A long SQL job must not stall the process (issue 8): with the built binary on a file
// database, a job that reads without end runs in a job process while /healthz is polled and
// records are written. Conditions, not durations: the run is seen in progress before and after,
// and in between /healthz answered 20 times and 10 records were stored and delivered. (A job on
// hookd's own thread would hold it until the end, which never comes.) The run is then stopped
// through the API and recorded so.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { binaryApi, buildBinaryOnce, startBinary, type RunningBinary } from "../support/binary";
import { startReceiver, type Receiver } from "../support/receiver";
import { tempDbUrl } from "../support/temp_db";

const TOKEN = "worker-token";
const ENDLESS_READ = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c";

let hookd: RunningBinary;
let receiver: Receiver;
const call = binaryApi(TOKEN);
const api = (method: string, path: string, body?: unknown) => call(hookd.url, method, path, body);

beforeAll(async () => {
  receiver = startReceiver();
  await buildBinaryOnce();
  hookd = await startBinary(tempDbUrl("hookd-worker-"), {
    HOOKD_ADMIN_TOKEN: TOKEN,
    HOOKD_ALLOW_NETS: "127.0.0.0/8",
    HOOKD_SHUTDOWN_MS: "1000",
    HOOKD_SQL_JOB_TIMEOUT: "0",
  });
}, 120_000);
afterAll(async () => {
  hookd?.proc.kill("SIGTERM");
  await hookd?.proc.exited;
  await receiver.stop();
});

test("while an endless SQL job runs, /healthz answers and deliveries flow; then it is stopped through the API", async () => {
  const created = await api("POST", "/api/collections", {
    name: "events",
    fields: [{ name: "n", type: "number" }],
    triggers: [{ action: "create", url: `${receiver.url}/e` }],
  });
  expect(created.status).toBe(200);
  expect(
    (
      await api("POST", "/api/cron", {
        name: "crunch",
        schedule: "0 0 1 1 *",
        type: "sql",
        active: false,
        sql: ENDLESS_READ,
      })
    ).status,
  ).toBe(200);
  const lastRun = async () => (await (await api("GET", "/api/cron/crunch/runs?perPage=1")).json()).items[0];

  const run = api("POST", "/api/cron/crunch/run");
  while ((await lastRun())?.status !== "running") await Bun.sleep(20);
  for (let i = 1; i <= 20; i++) {
    expect((await fetch(`${hookd.url}/healthz`)).status).toBe(200);
    if (i % 2 === 0) expect((await api("POST", "/api/collections/events/records", { n: i / 2 })).status).toBe(200);
  }
  const received = await receiver.waitFor(10);
  expect(received.map((r) => r.json.record.n).sort((a: number, b: number) => a - b)).toEqual([
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
  ]);
  expect((await lastRun()).status).toBe("running");

  const stopped = await api("POST", "/api/cron/crunch/stop");
  expect(stopped.status).toBe(200);
  expect(await stopped.json()).toMatchObject({
    status: "failed",
    error: "stopped through the API; nothing it wrote was kept",
  });
  expect((await (await run).json()).status).toBe("failed");
}, 90_000);
