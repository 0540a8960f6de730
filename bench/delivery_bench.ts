// Delivery benchmarks against a real hookd process and a real receiver process:
// a burst of persisted deliveries (beside the raw loopback rate of the same client),
// write-to-receipt latency at a steady write rate, and memory while a large backlog drains.
import { createClient } from "@libsql/client";
import { api, peakRssMb, receiverStats, startHookd, tempDbUrl, waitForReceiver, type Running } from "./processes";
import { rawLoopbackRate } from "./raw_rate";
import { percentile } from "./stats";

const reset = (receiver: Running) => fetch(`${receiver.url}/reset`);

async function waitForSuccess(
  db: ReturnType<typeof createClient>,
  collection: string,
  total: number,
  timeoutMs: number,
): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const rs = await db.execute({
      sql: "SELECT count(*) AS n FROM _webhook_logs WHERE collection = ? AND status = 'success'",
      args: [collection],
    });
    if (Number(rs.rows[0]!.n) >= total) return Date.now();
    await Bun.sleep(10);
  }
  throw new Error(`${collection}: not all ${total} deliveries succeeded within ${timeoutMs} ms`);
}

async function insertRows(dbUrl: string, table: string, count: number): Promise<number> {
  const writer = createClient({ url: dbUrl });
  await writer.execute("PRAGMA busy_timeout = 5000");
  await writer.execute(
    `WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < ${count}) INSERT INTO ${table} (n) SELECT n FROM s`,
  );
  const committedAt = Date.now();
  writer.close();
  return committedAt;
}

/** BurstResult is the persisted-delivery rate beside the raw client rate. */
export interface BurstResult {
  deliveries: number;
  rawRequestsPerSec: number;
  fromCommitPerSec: number;
  fromFirstReceiptPerSec: number;
  ratioToRaw: number;
  duplicates: number;
}

/** burstBench writes `count` records in one transaction from a second client and times until every delivery is persisted as success. */
export async function burstBench(receiver: Running, count: number, concurrency: number): Promise<BurstResult> {
  await reset(receiver);
  const raw = await rawLoopbackRate(`${receiver.url}/raw`, count, concurrency);
  await reset(receiver);
  const dbUrl = tempDbUrl();
  const hookd = await startHookd(dbUrl, {
    HOOKD_CONCURRENCY: String(concurrency),
    HOOKD_HOST_CONCURRENCY: String(concurrency),
  });
  try {
    await api(hookd.url, "POST", "/api/collections", {
      name: "burst",
      fields: [{ name: "n", type: "number" }],
      triggers: [{ action: "create", url: `${receiver.url}/burst` }],
    });
    const committedAt = await insertRows(dbUrl, "burst", count);
    const reader = createClient({ url: dbUrl });
    const doneAt = await waitForSuccess(reader, "burst", count, 120_000);
    reader.close();
    const s = await receiverStats(receiver);
    const fromCommit = count / ((doneAt - committedAt) / 1000);
    return {
      deliveries: count,
      rawRequestsPerSec: raw,
      fromCommitPerSec: fromCommit,
      fromFirstReceiptPerSec: count / ((doneAt - s.firstAt) / 1000),
      ratioToRaw: fromCommit / raw,
      duplicates: s.duplicates,
    };
  } finally {
    hookd.proc.kill("SIGTERM");
    await hookd.proc.exited;
  }
}

/** LatencyResult is write-to-receipt latency at a steady rate, plus hookd's peak memory. */
export interface LatencyResult {
  writesPerSec: number;
  writes: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  peakRssMb: number;
}

/** latencyBench posts records through the API at a steady rate; the receiver measures receipt minus the record's created time. */
export async function latencyBench(receiver: Running, writesPerSec: number, seconds: number): Promise<LatencyResult> {
  await reset(receiver);
  const hookd = await startHookd(tempDbUrl());
  try {
    await api(hookd.url, "POST", "/api/collections", {
      name: "lat",
      fields: [{ name: "n", type: "number" }],
      triggers: [{ action: "create", url: `${receiver.url}/latency` }],
    });
    const total = writesPerSec * seconds;
    const started = performance.now();
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / writesPerSec;
      const wait = due - performance.now();
      if (wait > 1) await Bun.sleep(wait);
      pending.push(api(hookd.url, "POST", "/api/collections/lat/records", { n: i }));
    }
    await Promise.all(pending);
    const s = await waitForReceiver(receiver, (r) => r.latencies.length >= total, 30_000, 50);
    const lat: number[] = s.latencies;
    return {
      writesPerSec,
      writes: total,
      p50Ms: percentile(lat, 50),
      p99Ms: percentile(lat, 99),
      maxMs: Math.max(...lat),
      peakRssMb: await peakRssMb(hookd.proc.pid),
    };
  } finally {
    hookd.proc.kill("SIGTERM");
    await hookd.proc.exited;
  }
}

/** BacklogResult is hookd's memory before and while a large backlog drains. */
export interface BacklogResult {
  deliveries: number;
  rssBeforeMb: number;
  peakRssMb: number;
  drainPerSec: number;
}

/** backlogBench enqueues `count` deliveries at once and watches hookd's peak RSS while they drain. */
export async function backlogBench(receiver: Running, count: number): Promise<BacklogResult> {
  await reset(receiver);
  const dbUrl = tempDbUrl();
  const hookd = await startHookd(dbUrl);
  try {
    await api(hookd.url, "POST", "/api/collections", {
      name: "backlog",
      fields: [{ name: "n", type: "number" }],
      triggers: [{ action: "create", url: `${receiver.url}/backlog` }],
    });
    await Bun.sleep(500);
    const rssBeforeMb = await peakRssMb(hookd.proc.pid);
    const committedAt = await insertRows(dbUrl, "backlog", count);
    const reader = createClient({ url: dbUrl });
    const doneAt = await waitForSuccess(reader, "backlog", count, 300_000);
    reader.close();
    return {
      deliveries: count,
      rssBeforeMb,
      peakRssMb: await peakRssMb(hookd.proc.pid),
      drainPerSec: count / ((doneAt - committedAt) / 1000),
    };
  } finally {
    hookd.proc.kill("SIGTERM");
    await hookd.proc.exited;
  }
}
