// Delivery control (docs/control.md) through the built binary, as a user drives it: a transformed
// delivery that standardwebhooks verifies, a rate limit that spreads a burst with nothing
// failed, a resent success with the same webhook-id, an idempotent create repeated at once,
// and one trigger changed on its own.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { createClient } from "@libsql/client";
import { Webhook } from "standardwebhooks";
import { binaryApi, buildBinaryOnce, startBinary, type RunningBinary } from "../support/binary";
import { startReceiver } from "../support/receiver";
import { tempDbUrl } from "../support/temp_db";

const TOKEN = "control-token";
const call = binaryApi(TOKEN);
const receiver = startReceiver();
const dbUrl = tempDbUrl();
let hookd: RunningBinary;

beforeAll(async () => {
  await buildBinaryOnce();
  hookd = await startBinary(dbUrl, { HOOKD_ADMIN_TOKEN: TOKEN, HOOKD_ALLOW_NETS: "127.0.0.0/8" });
}, 120_000);
afterAll(async () => {
  hookd?.proc.kill("SIGTERM");
  await hookd?.proc.exited;
  await receiver.stop();
});

const json = async (res: Response) => ({ status: res.status, body: (await res.json()) as any });
const api = async (method: string, path: string, body?: unknown) => json(await call(hookd.url, method, path, body));

test("a transformed, rate-limited trigger; resend; an idempotent create; one trigger changed", async () => {
  const made = await api("POST", "/api/collections", {
    name: "posts",
    fields: [{ name: "title", type: "text" }],
    triggers: [
      {
        id: "chat",
        action: "create",
        url: `${receiver.url}/chat`,
        transform: `{ "text": "New post: " & record.title }`,
        rateLimit: 10,
      },
    ],
  });
  expect(made.status).toBe(200);

  // Ten creates at once under one key: one record, one delivery.
  const creates = await Promise.all(
    Array.from({ length: 10 }, () =>
      fetch(`${hookd.url}/api/collections/posts/records`, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json", "idempotency-key": "k1" },
        body: JSON.stringify({ title: "Hello" }),
      }).then(json),
    ),
  );
  expect(new Set(creates.map((c) => c.body.id)).size).toBe(1);
  const [first] = await receiver.waitFor(1);
  expect(first!.json).toEqual({ text: "New post: Hello" });
  const key = (await api("GET", "/api/collections/posts/triggers/chat/secret")).body.key;
  expect(() => new Webhook(key).verify(first!.body, first!.headers, { jsonParse: false })).not.toThrow();

  // 20 more at 10/s: spread over about 2 s, none failed.
  const db = createClient({ url: dbUrl });
  await db.execute("PRAGMA busy_timeout = 5000");
  await db.execute(
    "INSERT INTO posts (title) SELECT 'burst ' || value FROM json_each('[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]')",
  );
  const all = await receiver.waitFor(21, 30_000);
  const burst = all.slice(1).map((r) => r.at);
  expect(burst.at(-1)! - burst[0]!).toBeGreaterThanOrEqual(19 * 100 * 0.9);
  const failed = await db.execute("SELECT count(*) AS n FROM _webhook_logs WHERE status = 'failed'");
  expect(Number(failed.rows[0]!.n)).toBe(0);

  // Resend the first (a success): the same webhook-id again.
  const logs = await api("GET", `/api/webhooks/logs?ids=${first!.headers["webhook-id"]}`);
  expect(logs.body.items[0].status).toBe("success");
  expect((await api("POST", `/api/webhooks/logs/${logs.body.items[0].id}/resend`)).status).toBe(200);
  const again = await receiver.waitFor(22, 10_000);
  expect(again.at(-1)!.headers["webhook-id"]).toBe(first!.headers["webhook-id"]);

  // One trigger changed on its own keeps its secret.
  const patched = await api("PATCH", "/api/collections/posts/triggers/chat", { transform: "record.title" });
  expect(patched.body).toMatchObject({ id: "chat", rateLimit: 10, transform: "record.title" });
  expect((await api("GET", "/api/collections/posts/triggers/chat/secret")).body.key).toBe(key);
  db.close();
}, 60_000);
