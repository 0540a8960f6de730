// The crash test: the built binary is killed with SIGKILL in the middle of a burst of
// writes, then restarted on the same file. Every committed record must reach the receiver
// at least once; duplicates (re-sends of attempts cut off by the kill) are counted.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createClient } from "@libsql/client";
import { binaryApi, buildBinaryOnce, startBinary, type RunningBinary } from "../support/binary";
import { deliveriesEnd, killWhen } from "../support/crash";
import { startReceiver, type Receiver } from "../support/receiver";
import { tempDbUrl } from "../support/temp_db";

const TOKEN = "crash-token";
const RECORDS = 2_000;
const ENV = {
  HOOKD_ADMIN_TOKEN: TOKEN,
  HOOKD_ALLOW_NETS: "127.0.0.0/8",
  HOOKD_RETRY_BASE_MS: "20",
  HOOKD_INSTANCE_ID: "crash-test",
};

let receiver: Receiver;
let running: RunningBinary | null = null;

beforeAll(async () => {
  receiver = startReceiver();
  await buildBinaryOnce();
}, 120_000);
afterAll(async () => {
  running?.proc.kill("SIGKILL");
  await receiver.stop();
});

const api = binaryApi(TOKEN);

test("kill -9 mid-burst, restart: every committed record is delivered at least once", async () => {
  const dbUrl = tempDbUrl("hookd-crash-");
  running = await startBinary(dbUrl, ENV);
  const first = running;
  const created = await api(first.url, "POST", "/api/collections", {
    name: "crash",
    fields: [{ name: "n", type: "number" }],
    triggers: [{ action: "create", url: `${receiver.url}/crash` }],
  });
  expect(created.status).toBe(200);

  // The burst: every record posted at once; the kill lands once a quarter has been answered.
  let answered = 0;
  const posts = Array.from({ length: RECORDS }, (_, n) =>
    api(first.url, "POST", "/api/collections/crash/records", { n }).then(
      (res) => void (res.ok && answered++),
      () => {},
    ),
  );
  await killWhen(first, "a quarter of the posts to be answered", () => answered >= RECORDS / 4);
  await Promise.all(posts);
  const receivedBeforeRestart = receiver.requests.length;

  running = await startBinary(dbUrl, ENV);
  const db = createClient({ url: dbUrl });
  try {
    await deliveriesEnd(db);
    const committed = (await db.execute("SELECT id FROM crash")).rows.map((r) => String(r.id));
    const deliveredIds = new Set(receiver.requests.map((r) => r.json?.record?.id));
    const missing = committed.filter((id) => !deliveredIds.has(id));
    const webhookIds = receiver.requests.map((r) => r.headers["webhook-id"]);
    const duplicates = webhookIds.length - new Set(webhookIds).size;
    console.log(
      `crash test: ${answered} of ${RECORDS} posts answered before kill -9, ${committed.length} records committed, ` +
        `${receivedBeforeRestart} deliveries received before the restart, ${receiver.requests.length} in all, ` +
        `${missing.length} committed records never delivered, ${duplicates} duplicates`,
    );
    expect(committed.length).toBeGreaterThanOrEqual(answered);
    expect(missing).toEqual([]);
    const failed = await db.execute("SELECT count(*) AS n FROM _webhook_logs WHERE status != 'success'");
    expect(Number(failed.rows[0]!.n)).toBe(0);
  } finally {
    db.close();
    running.proc.kill("SIGTERM");
    expect(await running.proc.exited).toBe(0);
    running = null;
  }
}, 180_000);
