// Cron with three instances on one sqld: a SQL job and an HTTP job every second. Each tick
// runs once in all, whichever instance claims it; one instance is killed with SIGKILL after a
// few ticks and the others keep firing.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createClient, type Client } from "@libsql/client";
import { buildBinaryOnce } from "../support/binary";
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
} from "../support/cluster";
import { startReceiver, type Receiver } from "../support/receiver";
import { sqldAvailable, type Sqld } from "../support/sqld";

const LEASE_MS = 2_000;
/** TICKS is how many successful runs of each job are awaited before the kill, and again after it. */
const TICKS = 4;

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
  error: string;
  leaseExpiresAt: number;
}

async function runsOf(job: string): Promise<Run[]> {
  const rs = await db.execute({
    sql: `SELECT scheduled_at, status, instance, error, lease_expires_at FROM _cron_runs
          WHERE job = ? AND kind = 'schedule' ORDER BY scheduled_at`,
    args: [job],
  });
  return rs.rows.map((r) => ({
    scheduledAt: Date.parse(String(r.scheduled_at)),
    status: String(r.status),
    instance: String(r.instance),
    error: String(r.error ?? ""),
    leaseExpiresAt: Date.parse(String(r.lease_expires_at)),
  }));
}

/** successesAfter counts a job's successful runs scheduled after `after` (ms since the epoch). */
async function successesAfter(job: string, after: number): Promise<number> {
  return (await runsOf(job)).filter((r) => r.status === "success" && r.scheduledAt > after).length;
}

/**
 * expectEverySecondOnce checks one row per second with no gap, all run but those the kill
 * blocked: a run the killed instance had claimed is abandoned once its lease ends, and ticks
 * until then are skipped (it was still running). A tick the machine was too busy to reach in
 * time is written down as skipped, late: honest, and allowed.
 */
function expectEverySecondOnce(runs: Run[]): void {
  expect(runs.length).toBeGreaterThanOrEqual(2 * TICKS);
  for (let i = 1; i < runs.length; i++) expect(runs[i]!.scheduledAt - runs[i - 1]!.scheduledAt).toBe(1000);
  const abandoned = runs.filter((r) => r.status === "failed");
  expect(abandoned.length).toBeLessThanOrEqual(1);
  for (const r of abandoned)
    expect([r.instance, r.error]).toEqual(["c", "abandoned: instance c stopped before the run finished"]);
  const blockedUntil = abandoned[0]?.leaseExpiresAt ?? 0;
  for (const r of runs.filter((r) => r.status === "skipped"))
    if (!r.error.includes("ms late")) {
      expect(r.error).toContain("previous run of this job was still running");
      expect(r.scheduledAt).toBeLessThanOrEqual(blockedUntil);
    }
}

test.skipIf(!sqldAvailable)(
  "a SQL job and an HTTP job every second with three instances: each tick runs once, and ticks go on after one instance is killed",
  async () => {
    const [a, b, c] = instances as [Instance, Instance, Instance];
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

    const ticked = (after: number) => async () =>
      (await successesAfter("sql-tick", after)) >= TICKS && (await successesAfter("http-tick", after)) >= TICKS;
    await waitUntil(`${TICKS} runs of each job`, ticked(0), 30_000);
    const killedAt = Date.now();
    killInstance(c);
    await waitUntil(`${TICKS} more runs of each job after the kill`, ticked(killedAt), 30_000);
    // Paused through each live instance, so each re-reads its jobs at once (b would otherwise
    // go on until its next periodic reload); then the last runs and their deliveries finish. A
    // delivery c had claimed when it was killed is leased for its timeout (15 s) and a margin,
    // not LEASE_MS, before a live instance may send it: the wait allows for that.
    for (const job of ["sql-tick", "http-tick"])
      for (const i of [a, b]) expect((await api(i, "PATCH", `/api/cron/${job}`, { active: false })).status).toBe(200);
    await waitUntil(
      "cron runs and their deliveries to finish",
      async () =>
        (await countRows(db, "_cron_runs WHERE status = 'running'")) === 0 &&
        (await countRows(db, "_webhook_logs WHERE status IN ('pending', 'processing')")) === 0,
      30_000,
    ).catch(async (err) => {
      // What was left unfinished, for whoever reads the failure.
      const left = await db.execute(
        "SELECT 'run' AS kind, job AS what, status, instance AS owner, lease_expires_at AS due, error AS note FROM _cron_runs WHERE status = 'running' UNION ALL SELECT 'delivery', coalesce(cron_job, collection), status, lease_owner, coalesce(lease_expires_at, next_attempt_at), tries || ' tries; ' || coalesce(error_msg, '') FROM _webhook_logs WHERE status IN ('pending', 'processing')",
      );
      throw new Error(
        `${(err as Error).message}; unfinished at ${new Date().toISOString()}: ${JSON.stringify(left.rows)}`,
      );
    });

    const sqlRuns = await runsOf("sql-tick");
    const httpRuns = await runsOf("http-tick");
    expectEverySecondOnce(sqlRuns);
    expectEverySecondOnce(httpRuns);

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
  120_000,
);
