// GET /api/stats/deliveries: finished deliveries per minute by outcome, and the queue.
import { beforeAll, expect, test } from "bun:test";
import { makeTestApp, type TestApp } from "../support/test_app";

let t: TestApp;
const now = Date.now();
const minutesAgo = (m: number) => new Date(now - m * 60_000).toISOString();

beforeAll(async () => {
  t = await makeTestApp();
  const rows: [string, string, string][] = [
    ["a", "success", minutesAgo(3)],
    ["b", "success", minutesAgo(3)], // delivered at its second attempt, the first a 503
    ["c", "failed", minutesAgo(3)],
    ["d", "success", minutesAgo(60)],
    ["e", "failed", minutesAgo(25 * 60)], // outside 24 h
    ["f", "pending", minutesAgo(10)],
    ["g", "pending", minutesAgo(1)],
    ["h", "processing", minutesAgo(1)],
  ];
  for (const [id, status, at] of rows) {
    await t.deps.db.execute({
      sql: `INSERT INTO _webhook_logs (id, source, webhook, url, method, status, next_attempt_at, created_at, updated_at)
            VALUES (?, 'webhook', 'w', 'https://example.com/', 'POST', ?, ?, ?, ?)`,
      args: [id, status, at, at, at],
    });
  }
  for (const [n, httpStatus] of [
    [1, 503],
    [2, null],
  ] as const)
    await t.deps.db.execute({
      sql: "INSERT INTO _webhook_attempts (delivery_id, n, at, url, http_status) VALUES (?, ?, ?, 'https://example.com/', ?)",
      args: [n === 1 ? "b" : "d", 1, minutesAgo(3), httpStatus === null ? 200 : httpStatus],
    });
});

test("counts outcomes per minute over the window and sizes the queue", async () => {
  const { status, body } = await t.request("GET", "/api/stats/deliveries?hours=24");
  expect(status).toBe(200);
  const byMinute = Object.fromEntries(body.minutes.map((m: any) => [m.minute, m]));
  expect(byMinute[minutesAgo(3).slice(0, 16)]).toEqual({
    minute: minutesAgo(3).slice(0, 16),
    success: 2,
    failed: 1,
    recovered: 1,
  });
  // d was resent after a success: its earlier 200 is no failure.
  expect(byMinute[minutesAgo(60).slice(0, 16)]).toMatchObject({ success: 1, failed: 0, recovered: 0 });
  expect(body.minutes.reduce((n: number, m: any) => n + m.success + m.failed, 0)).toBe(4);
  expect(body.queued).toEqual({ pending: 2, processing: 1, held: 0 });
  expect(body.oldestDueAt).toBe(minutesAgo(10));
});

test.each(["0", "169", "1.5", "x"])("hours=%s is a 400 naming hours", async (hours) => {
  const { status, body } = await t.request("GET", `/api/stats/deliveries?hours=${hours}`);
  expect(status).toBe(400);
  expect(body.data.hours).toBeDefined();
});
