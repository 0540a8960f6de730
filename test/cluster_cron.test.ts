// Cron with three instances on one sqld: a SQL job and an HTTP job every second for about
// 10 s. Each tick runs once in all, whichever instance claims it; one instance is killed with
// SIGKILL halfway and the others keep firing.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createClient, type Client } from "@libsql/client";
import { buildBinaryOnce } from "./support/binary";
import {
  api,
  countRows,
  killInstance,
  reportErrors,
  startClusterSqld,
  startInstances,
  stopInstances,
  waitUntil,
  type Instance,
} from "./support/cluster";
import { startReceiver, type Receiver } from "./support/receiver";
import { sqldAvailable, type Sqld } from "./support/sqld";

const LEASE_MS = 2_000;
const RUN_MS = 10_000;

let sqld: Sqld;
let db: Client;
let receiver: Receiver;
let instances: Instance[] = [];

beforeAll(async () => {
  receiver = startReceiver();
  await buildBinaryOnce();
  if (!sqldAvailable) return;
  sqld = await startClusterSqld();
  db = createClient({ url: sqld.url });
  instances = await startInstances(sqld.url, ["a", "b", "c"], { HOOKD_LEASE_MS: String(LEASE_MS) });
}, 120_000);
afterAll(async () => {
  reportErrors(instances);
  await stopInstances(instances);
  db?.close();
  await sqld?.stop();
  await receiver.stop();
}, 60_000);

interface Run {
  scheduledAt: number;
  status: string;
  instance: string;
}

async function runsOf(job: string): Promise<Run[]> {
  const rs = await db.execute({
    sql: "SELECT scheduled_at, status, instance FROM _cron_runs WHERE job = ? AND kind = 'schedule' ORDER BY scheduled_at",
    args: [job],
  });
  return rs.rows.map((r) => ({
    scheduledAt: Date.parse(String(r.scheduled_at)),
    status: String(r.status),
    instance: String(r.instance),
  }));
}

/** expectEverySecondOnce checks one row per second with no gap, and success except shortly after the kill. */
function expectEverySecondOnce(runs: Run[], killedAt: number): void {
  expect(runs.length).toBeGreaterThanOrEqual(RUN_MS / 1000 - 1);
  for (let i = 1; i < runs.length; i++) expect(runs[i]!.scheduledAt - runs[i - 1]!.scheduledAt).toBe(1000);
  // A tick the killed instance had claimed and not finished blocks the job until its lease runs out.
  const notRun = runs.filter((r) => r.status !== "success");
  for (const r of notRun) expect(r.scheduledAt).toBeWithin(killedAt - 1000, killedAt + LEASE_MS + 1500);
}

test.skipIf(!sqldAvailable)(
  "a SQL job and an HTTP job every second with three instances: each tick runs once, and ticks go on after one instance is killed",
  async () => {
    const [a, , c] = instances as [Instance, Instance, Instance];
    const collection = await api(a, "POST", "/api/collections", {
      name: "ticks",
      fields: [{ name: "n", type: "number" }],
      triggers: [{ action: "create", url: `${receiver.url}/tick-record` }],
    });
    expect(collection.status).toBe(200);
    // Created through a only: b and c pick the jobs up from their periodic reload (4 polls).
    const sqlJob = await api(a, "POST", "/api/cron", {
      name: "sql-tick",
      schedule: "* * * * * *",
      type: "sql",
      sql: "INSERT INTO ticks (n) VALUES (1)",
    });
    const httpJob = await api(a, "POST", "/api/cron", {
      name: "http-tick",
      schedule: "* * * * * *",
      type: "http",
      url: `${receiver.url}/tick-http`,
      method: "POST",
      body: "{}",
    });
    expect([sqlJob.status, httpJob.status]).toEqual([200, 200]);

    await Bun.sleep(RUN_MS / 2);
    const killedAt = Date.now();
    killInstance(c);
    await Bun.sleep(RUN_MS / 2);
    for (const job of ["sql-tick", "http-tick"])
      expect((await api(a, "PATCH", `/api/cron/${job}`, { active: false })).status).toBe(200);
    // b stops at its next reload; let the last runs and their deliveries finish.
    await Bun.sleep(1_500);
    await waitUntil(
      "cron and trigger deliveries to finish",
      async () => (await countRows(db, "_webhook_logs WHERE status IN ('pending', 'processing')")) === 0,
      15_000,
    );

    const sqlRuns = await runsOf("sql-tick");
    const httpRuns = await runsOf("http-tick");
    expectEverySecondOnce(sqlRuns, killedAt);
    expectEverySecondOnce(httpRuns, killedAt);

    // Side effects, once per successful tick: rows inserted, their trigger deliveries, HTTP calls.
    const sqlSuccesses = sqlRuns.filter((r) => r.status === "success").length;
    const httpSuccesses = httpRuns.filter((r) => r.status === "success").length;
    const inserted = await countRows(db, "ticks");
    // A run killed between its SQL and its record commits the row but is later marked abandoned.
    expect(inserted).toBeGreaterThanOrEqual(sqlSuccesses);
    expect(inserted).toBeLessThanOrEqual(sqlSuccesses + sqlRuns.filter((r) => r.status === "failed").length);
    const httpCalls = receiver.requests.filter((r) => r.path === "/tick-http").map((r) => r.headers["webhook-id"]);
    expect(new Set(httpCalls).size).toBe(httpCalls.length);
    expect(httpCalls.length).toBe(httpSuccesses);
    const recordHooks = receiver.requests.filter((r) => r.path === "/tick-record").map((r) => r.json.record.id);
    expect(new Set(recordHooks).size).toBe(inserted);

    const byInstance = (runs: Run[]) =>
      runs.reduce<Record<string, number>>((m, r) => ((m[r.instance] = (m[r.instance] ?? 0) + 1), m), {});
    console.log(
      `cron cluster: sql-tick ${sqlRuns.length} ticks (${sqlSuccesses} success) by ${JSON.stringify(byInstance(sqlRuns))}, ` +
        `http-tick ${httpRuns.length} ticks (${httpSuccesses} success) by ${JSON.stringify(byInstance(httpRuns))}; ${inserted} rows, ${httpCalls.length} HTTP calls`,
    );
  },
  60_000,
);
