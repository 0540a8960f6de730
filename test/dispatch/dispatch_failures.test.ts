// Attempts that fail: final answers, timeouts, connection refused, redirects, large bodies.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startReceiver, type Receiver } from "../support/receiver";
import {
  makeDispatchingApp,
  makeHookedCollection,
  settled,
  waitForLogs,
  type DispatchingApp,
} from "../support/deliveries";

let t: DispatchingApp;
let receiver: Receiver;

beforeAll(async () => {
  t = await makeDispatchingApp();
  receiver = startReceiver();
  receiver.respond = (req) => answers[req.path] ?? { status: 200 };
});
afterAll(async () => {
  await t.dispatcher.stop();
  await receiver.stop();
});

const answers: Record<string, { status?: number; body?: string; headers?: Record<string, string>; delayMs?: number }> =
  {
    "/gone": { status: 410, body: "no such hook" },
    "/moved": { status: 302, headers: { location: "https://elsewhere.example/hook" } },
    "/slow": { status: 200, delayMs: 400 },
    "/big": { status: 200, body: "é".repeat(3000) },
  };

async function deliverOnce(name: string, url: string, trigger: Record<string, unknown> = {}) {
  await makeHookedCollection(t, name, [{ action: "create", url, ...trigger }]);
  await t.request("POST", `/api/collections/${name}/records`, { title: name });
  const [row] = await waitForLogs(t.deps, `collection = '${name}'`, settled);
  return row!;
}
const requestsTo = (path: string) => receiver.requests.filter((r) => r.path === path);

test("a 4xx other than 408/429 is final: one attempt, failed, status and body recorded", async () => {
  const row = await deliverOnce("gone", `${receiver.url}/gone`, { retryLimit: 5 });
  expect(row).toMatchObject({
    status: "failed",
    tries: 1,
    http_status: 410,
    error_msg: "HTTP 410",
    response_body: "no such hook",
  });
  expect(requestsTo("/gone")).toHaveLength(1);
});

test("a redirect is not followed and is final", async () => {
  const row = await deliverOnce("moved", `${receiver.url}/moved`, { retryLimit: 5 });
  expect(row).toMatchObject({ status: "failed", tries: 1, http_status: 302 });
  expect(row.error_msg).toBe("HTTP 302: redirect to https://elsewhere.example/hook not followed");
});

test("an attempt longer than timeoutMs times out and is retried; the error says so", async () => {
  const row = await deliverOnce("slow", `${receiver.url}/slow`, { timeoutMs: 100, retryLimit: 2 });
  expect(row).toMatchObject({ status: "failed", tries: 2, http_status: null, error_msg: "timed out after 100 ms" });
  // Cut off by its own timer (which never fires early), before the receiver's 400 ms answer.
  expect(row.duration_ms).toBeGreaterThanOrEqual(95);
  expect(requestsTo("/slow")).toHaveLength(2);
});

test("connection refused is a retryable network error", async () => {
  const closed = startReceiver();
  const url = `${closed.url}/nobody`;
  await closed.stop();
  const row = await deliverOnce("refused", url, { retryLimit: 3 });
  expect(row).toMatchObject({
    status: "failed",
    tries: 3,
    http_status: null,
    error_msg: "connection refused (ECONNREFUSED)",
  });
});

test("a response body is stored up to 4 KiB", async () => {
  const row = await deliverOnce("big", `${receiver.url}/big`);
  expect(row.status).toBe("success");
  expect(row.response_body).toBe("é".repeat(2048));
});

test("a hand-written row with a URL that is not http(s) fails at once and says why", async () => {
  const now = new Date().toISOString();
  await t.deps.db.execute({
    sql: "INSERT INTO _webhook_logs (id, source, webhook, url, next_attempt_at, created_at, updated_at) VALUES ('bad-url', 'webhook', 'x', 'ftp://example.com/x', ?, ?, ?)",
    args: [now, now, now],
  });
  t.dispatcher.wake();
  const [row] = await waitForLogs(t.deps, "id = 'bad-url'", settled);
  expect(row).toMatchObject({ status: "failed", tries: 1 });
  expect(row!.error_msg).toContain("is not an absolute http:// or https:// URL");
});
