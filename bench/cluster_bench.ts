// Deliveries/s with one, two and three hookd instances sharing one sqld, beside one instance
// on the embedded file, in the same run: a separate libSQL client enqueues N deliveries with
// one INSERT…SELECT, and the clock runs until every one is persisted as success.
import { createClient } from "@libsql/client";
import { startClusterSqld } from "../test/support/cluster";
import { api, receiverStats, startHookd, tempDbUrl, type Running } from "./processes";

/** ClusterResult is one configuration's drain rate. */
export interface ClusterResult {
  label: string;
  instances: number;
  deliveries: number;
  perSec: number;
  duplicates: number;
}

async function drain(receiver: Running, dbUrl: string, instances: number, count: number): Promise<number> {
  await fetch(`${receiver.url}/reset`);
  const env = { HOOKD_CONCURRENCY: "64", HOOKD_HOST_CONCURRENCY: "64" };
  const hookds = await Promise.all(
    Array.from({ length: instances }, (_, i) => startHookd(dbUrl, { ...env, HOOKD_INSTANCE_ID: `bench-${i + 1}` })),
  );
  const db = createClient({ url: dbUrl });
  try {
    await api(hookds[0]!.url, "POST", "/api/collections", {
      name: "cluster",
      fields: [{ name: "n", type: "number" }],
      triggers: [{ action: "create", url: `${receiver.url}/cluster` }],
    });
    if (dbUrl.startsWith("file:")) await db.execute("PRAGMA busy_timeout = 5000");
    await db.execute(
      `WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < ${count}) INSERT INTO cluster (n) SELECT n FROM s`,
    );
    const committedAt = Date.now();
    const deadline = committedAt + 300_000;
    while (
      Number((await db.execute("SELECT count(*) AS n FROM _webhook_logs WHERE status = 'success'")).rows[0]!.n) < count
    ) {
      if (Date.now() > deadline)
        throw new Error(`${instances} instance(s): not all ${count} deliveries succeeded within 300 s`);
      await Bun.sleep(20);
    }
    return count / ((Date.now() - committedAt) / 1000);
  } finally {
    db.close();
    for (const h of hookds) h.proc.kill("SIGTERM");
    await Promise.all(hookds.map((h) => h.proc.exited));
  }
}

/** clusterBench drains `count` deliveries with one instance on a file, then with 1, 2 and 3 instances on a fresh sqld each. */
export async function clusterBench(receiver: Running, count: number): Promise<ClusterResult[]> {
  const results: ClusterResult[] = [];
  const embedded = await drain(receiver, tempDbUrl(), 1, count);
  results.push({
    label: "embedded file",
    instances: 1,
    deliveries: count,
    perSec: embedded,
    duplicates: (await receiverStats(receiver)).duplicates,
  });
  for (const instances of [1, 2, 3]) {
    const sqld = await startClusterSqld();
    try {
      const perSec = await drain(receiver, sqld.url, instances, count);
      results.push({
        label: "sqld",
        instances,
        deliveries: count,
        perSec,
        duplicates: (await receiverStats(receiver)).duplicates,
      });
    } finally {
      await sqld.stop();
    }
  }
  return results;
}

if (import.meta.main) {
  const { startReceiver } = await import("./processes");
  const receiver = await startReceiver();
  try {
    for (const r of await clusterBench(receiver, Number(process.argv[2] ?? 10_000))) {
      console.log(
        `${r.label}, ${r.instances} instance(s): ${r.perSec.toFixed(0)} deliveries/s (${r.deliveries}, ${r.duplicates} duplicates)`,
      );
    }
  } finally {
    receiver.proc.kill();
  }
}
