// Ordered beside unordered delivery (docs/delivery.md, Ordering per key): the same burst of records written at once by
// a second client, delivered by one trigger without an orderingKey and by one ordered over
// 100 keys (each key's deliveries one at a time). Run alone with `bun bench/ordering_bench.ts
// [count]`; `npm run bench` runs it with the rest.
import { createClient } from "@libsql/client";
import { api, startHookd, startReceiver, tempDbUrl, type Running } from "./processes";

/** OrderingResult is deliveries/s from commit to the last success, unordered and ordered over `keys` keys. */
export interface OrderingResult {
  deliveries: number;
  keys: number;
  unorderedPerSec: number;
  orderedPerSec: number;
}

async function drainRate(
  receiver: Running,
  count: number,
  keys: number,
  orderingKey: string | undefined,
): Promise<number> {
  const dbUrl = tempDbUrl();
  const hookd = await startHookd(dbUrl);
  try {
    await api(hookd.url, "POST", "/api/collections", {
      name: "orders",
      fields: [
        { name: "n", type: "number" },
        { name: "customer", type: "text" },
      ],
      triggers: [{ action: "create", url: `${receiver.url}/ordering`, ...(orderingKey ? { orderingKey } : {}) }],
    });
    const db = createClient({ url: dbUrl });
    await db.execute("PRAGMA busy_timeout = 5000");
    await db.execute(`WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < ${count})
      INSERT INTO orders (n, customer) SELECT n, 'c' || (n % ${keys}) FROM s`);
    const committedAt = Date.now();
    const deadline = committedAt + 300_000;
    while (
      Number((await db.execute("SELECT count(*) AS n FROM _webhook_logs WHERE status = 'success'")).rows[0]!.n) < count
    ) {
      if (Date.now() > deadline) throw new Error(`not all ${count} deliveries succeeded within 300 s`);
      await Bun.sleep(10);
    }
    const rate = count / ((Date.now() - committedAt) / 1000);
    db.close();
    return rate;
  } finally {
    hookd.proc.kill("SIGTERM");
    await hookd.proc.exited;
  }
}

/** orderingBench measures the unordered and the ordered (100 keys) drain of the same burst, one after the other. */
export async function orderingBench(receiver: Running, count: number, keys = 100): Promise<OrderingResult> {
  const unorderedPerSec = await drainRate(receiver, count, keys, undefined);
  const orderedPerSec = await drainRate(receiver, count, keys, "customer");
  return { deliveries: count, keys, unorderedPerSec, orderedPerSec };
}

if (import.meta.main) {
  const count = Number(process.argv[2] ?? 10_000);
  const receiver = await startReceiver();
  try {
    const r = await orderingBench(receiver, count);
    console.log(
      `burst of ${r.deliveries}: unordered ${r.unorderedPerSec.toFixed(0)} deliveries/s, ordered over ${r.keys} keys ${r.orderedPerSec.toFixed(0)} deliveries/s`,
    );
  } finally {
    receiver.proc.kill();
  }
}
