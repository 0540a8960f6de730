// Delivery control (docs/control.md) against a real hookd and receiver: what a transform costs per
// delivery (one evaluation measured in process, and a burst drained with and without one), and
// a throttled target beside an unthrottled one (the unthrottled keeps its rate). Run alone with
// `bun bench/control_bench.ts [count]`; `npm run bench` runs it with the rest.
import { createClient } from "@libsql/client";
import { compileTransform, runTransform } from "../src/targets/transform";
import { eventOf } from "../src/targets/transform_step";
import { api, startHookd, startReceiver, tempDbUrl, type Running } from "./processes";

const CHAT = `{ "text": "New post #" & $string(record.n) & " in " & collection }`;

/** ControlResult is the transform's cost and the throttled/unthrottled rates. */
export interface ControlResult {
  transformEvalUs: number;
  plainPerSec: number;
  transformedPerSec: number;
  transformCostUs: number;
  aloneUnthrottledPerSec: number;
  besideUnthrottledPerSec: number;
  throttledPerSec: number;
  rateLimit: number;
}

/** evaluationUs is the mean time of one transform evaluation over a trigger's event, parse of the stored payload included. */
async function evaluationUs(count: number): Promise<number> {
  const transform = compileTransform(CHAT);
  const payload = JSON.stringify({
    id: "01a2",
    action: "create",
    collection: "posts",
    record: { id: "r1", n: 7, title: "Hello" },
    oldRecord: null,
    timestamp: new Date().toISOString(),
  });
  for (let i = 0; i < 1_000; i++) await runTransform(transform, eventOf(payload));
  const started = performance.now();
  for (let i = 0; i < count; i++) await runTransform(transform, eventOf(payload));
  return ((performance.now() - started) * 1000) / count;
}

async function until(db: ReturnType<typeof createClient>, sql: string, count: number, timeoutMs = 300_000) {
  const deadline = Date.now() + timeoutMs;
  while (Number((await db.execute(sql)).rows[0]!.n) < count) {
    if (Date.now() > deadline) throw new Error(`timed out: ${sql}`);
    await Bun.sleep(10);
  }
  return Date.now();
}

/** drain writes the rows of each collection at once and answers each one's deliveries/s until `countIn` of it succeeded. */
async function drain(
  receiver: Running,
  triggers: Record<string, Record<string, unknown>>,
  rows: Record<string, number>,
  countIn: Record<string, number> = rows,
): Promise<Record<string, number>> {
  const dbUrl = tempDbUrl();
  const hookd = await startHookd(dbUrl);
  try {
    for (const [name, trigger] of Object.entries(triggers))
      await api(hookd.url, "POST", "/api/collections", {
        name,
        fields: [{ name: "n", type: "number" }],
        triggers: [{ action: "create", url: `${receiver.url}/${name}`, ...trigger }],
      });
    const db = createClient({ url: dbUrl });
    await db.execute("PRAGMA busy_timeout = 5000");
    await db.batch(
      Object.entries(rows).map(
        ([name, n]) =>
          `WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < ${n}) INSERT INTO ${name} (n) SELECT n FROM s`,
      ),
      "write",
    );
    const committedAt = Date.now();
    const rates: Record<string, number> = {};
    await Promise.all(
      Object.entries(countIn).map(async ([name, n]) => {
        const sql = `SELECT count(*) AS n FROM _webhook_logs WHERE collection = '${name}' AND status = 'success'`;
        rates[name] = n / (((await until(db, sql, n)) - committedAt) / 1000);
      }),
    );
    // A throttled target's rate is its pace once sending: from its first attempt to its n-th.
    for (const [name, trigger] of Object.entries(triggers)) {
      if (!trigger.rateLimit) continue;
      const rs = await db.execute(
        `SELECT min(at) AS first, max(at) AS last, count(*) AS n FROM (SELECT last_attempt_at AS at FROM _webhook_logs
           WHERE collection = '${name}' AND status = 'success' ORDER BY last_attempt_at LIMIT ${countIn[name]})`,
      );
      const r = rs.rows[0]!;
      rates[name] = (Number(r.n) - 1) / ((Date.parse(String(r.last)) - Date.parse(String(r.first))) / 1000);
    }
    db.close();
    return rates;
  } finally {
    hookd.proc.kill("SIGTERM");
    await hookd.proc.exited;
  }
}

/** controlBench runs the transform and throttling figures with bursts of `count`. */
export async function controlBench(receiver: Running, count: number): Promise<ControlResult> {
  const transformEvalUs = await evaluationUs(20_000);
  const plain = (await drain(receiver, { plain: {} }, { plain: count })).plain!;
  const transformed = (await drain(receiver, { shaped: { transform: CHAT } }, { shaped: count })).shaped!;
  const rateLimit = 50;
  const alone = (await drain(receiver, { open: {} }, { open: count })).open!;
  // 10 s of the throttled target's backlog is queued with the burst; its pace is measured over its first 100.
  const beside = await drain(
    receiver,
    { open: {}, limited: { rateLimit } },
    { open: count, limited: rateLimit * 10 },
    { open: count, limited: 100 },
  );
  return {
    transformEvalUs,
    plainPerSec: plain,
    transformedPerSec: transformed,
    transformCostUs: (1 / transformed - 1 / plain) * 1e6,
    aloneUnthrottledPerSec: alone,
    besideUnthrottledPerSec: beside.open!,
    throttledPerSec: beside.limited!,
    rateLimit,
  };
}

if (import.meta.main) {
  const receiver = await startReceiver();
  try {
    console.log(await controlBench(receiver, Number(process.argv[2] ?? 10_000)));
  } finally {
    receiver.proc.kill();
  }
}
