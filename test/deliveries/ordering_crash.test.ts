// Ordering across a crash: the built binary is killed with SIGKILL in the middle of a burst
// of writes to an ordered trigger whose receiver fails a random third of attempts, then
// restarted on the same file. Every key's deliveries must still arrive in commit order
// (an attempt cut off by the kill is sent again before the next of its key).
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createClient } from "@libsql/client";
import { binaryApi, buildBinaryOnce, startBinary, type RunningBinary } from "../support/binary";
import { deliveriesEnd, killWhen } from "../support/crash";
import { startReceiver, type Receiver } from "../support/receiver";
import { tempDbUrl } from "../support/temp_db";

const TOKEN = "ordering-crash-token";
const RECORDS = 600;
const KEYS = 10;
const ENV = {
  HOOKD_ADMIN_TOKEN: TOKEN,
  HOOKD_ALLOW_NETS: "127.0.0.0/8",
  HOOKD_RETRY_BASE_MS: "5",
  // Doubling from 5 ms: a key whose delivery fails a few times in a row (1 in 3 does) must not
  // hold its successors for the default schedule's later, longer waits.
  HOOKD_RETRY_SCHEDULE: "2s,4s,8s,16s,32s,64s,128s",
  HOOKD_INSTANCE_ID: "ordering-crash",
};

let receiver: Receiver;
let running: RunningBinary | null = null;
const seen = new Map<string, number[]>();

beforeAll(async () => {
  receiver = startReceiver();
  receiver.respond = (req) => {
    const { customer, seq } = req.json.record;
    seen.set(customer, [...(seen.get(customer) ?? []), seq]);
    return { status: Math.random() < 1 / 3 ? 503 : 200 };
  };
  await buildBinaryOnce();
}, 120_000);
afterAll(async () => {
  running?.proc.kill("SIGKILL");
  await receiver.stop();
});

const api = binaryApi(TOKEN);

test("kill -9 mid-burst and restart: every key's deliveries still arrive in commit order, none lost", async () => {
  const dbUrl = tempDbUrl("hookd-ordering-crash-");
  running = await startBinary(dbUrl, ENV);
  const first = running;
  const created = await api(first.url, "POST", "/api/collections", {
    name: "orders",
    fields: [
      { name: "customer", type: "text" },
      { name: "seq", type: "number" },
    ],
    triggers: [{ action: "create", url: `${receiver.url}/o`, orderingKey: "customer", retryLimit: 30 }],
  });
  expect(created.status).toBe(200);

  // Each key's records are written one after another (so seq is its commit order), keys side by side.
  let answered = 0;
  const writers = Array.from({ length: KEYS }, async (_, k) => {
    for (let seq = 1; seq <= RECORDS / KEYS; seq++) {
      const res = await api(first.url, "POST", "/api/collections/orders/records", { customer: `k${k}`, seq }).catch(
        () => null,
      );
      if (!res?.ok) return;
      answered++;
    }
  });
  await killWhen(first, "a third of the posts to be answered", () => answered >= RECORDS / 3);
  await Promise.all(writers);
  const receivedBeforeRestart = receiver.requests.length;

  running = await startBinary(dbUrl, ENV);
  const db = createClient({ url: dbUrl });
  try {
    await deliveriesEnd(db);
    const committed = (await db.execute("SELECT customer, seq FROM orders ORDER BY rowid")).rows.map(
      (r) => [String(r.customer), Number(r.seq)] as const,
    );
    for (let k = 0; k < KEYS; k++) {
      const seqs = seen.get(`k${k}`) ?? [];
      const written = committed.filter(([c]) => c === `k${k}`).map(([, s]) => s);
      expect(
        seqs.every((s, i) => i === 0 || s >= seqs[i - 1]!),
        `k${k} received ${seqs.join(",")}`,
      ).toBe(true);
      expect([...new Set(seqs)]).toEqual(written);
    }
    const failed = await db.execute("SELECT count(*) AS n FROM _webhook_logs WHERE status != 'success'");
    expect(Number(failed.rows[0]!.n)).toBe(0);
    console.log(
      `ordering crash test: ${answered} posts answered before kill -9, ${committed.length} committed, ${receivedBeforeRestart} requests before the restart, ${receiver.requests.length} in all`,
    );
  } finally {
    db.close();
    running.proc.kill("SIGTERM");
    expect(await running.proc.exited).toBe(0);
    running = null;
  }
}, 180_000);
