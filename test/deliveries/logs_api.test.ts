// The delivery log API over REST: filters, paging, one entry, errors. Rows are written
// directly so the listing is deterministic (no dispatcher runs in this file).
import { beforeAll, describe, expect, test } from "bun:test";
import { makeTestApp, type TestApp } from "../support/test_app";

let t: TestApp;
const STATUSES = ["pending", "success", "failed", "success", "processing"];

beforeAll(async () => {
  t = await makeTestApp();
  // 25 rows: collections a (15) and b (10), statuses cycling through STATUSES.
  for (let i = 0; i < 25; i++) {
    const at = new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString();
    await t.deps.db.execute({
      sql: `INSERT INTO _webhook_logs (id, source, collection, action, record_id, url, payload, status, http_status, tries, next_attempt_at, created_at, updated_at)
            VALUES (?, 'trigger', ?, 'create', ?, 'http://127.0.0.1:9/hook', ?, ?, ?, 1, ?, ?, ?)`,
      args: [
        `log${String(i).padStart(2, "0")}`,
        i < 15 ? "a" : "b",
        `rec${i}`,
        JSON.stringify({ n: i }),
        STATUSES[i % 5]!,
        i % 5 === 1 ? 200 : null,
        at,
        at,
        at,
      ],
    });
  }
});

const ids = (body: any) => body.items.map((l: any) => l.id);

describe("GET /api/webhooks/logs", () => {
  const cases: [
    string,
    string,
    { totalItems: number; totalPages: number; perPage: number; first: string; count: number },
  ][] = [
    [
      "everything, newest first, 30 per page by default",
      "",
      { totalItems: 25, totalPages: 1, perPage: 30, first: "log24", count: 25 },
    ],
    ["by collection", "?collection=b", { totalItems: 10, totalPages: 1, perPage: 30, first: "log24", count: 10 }],
    ["by status", "?status=failed", { totalItems: 5, totalPages: 1, perPage: 30, first: "log22", count: 5 }],
    [
      "by collection and status",
      "?collection=a&status=success",
      { totalItems: 6, totalPages: 1, perPage: 30, first: "log13", count: 6 },
    ],
    [
      "an unknown collection is an empty page",
      "?collection=zzz",
      { totalItems: 0, totalPages: 0, perPage: 30, first: "", count: 0 },
    ],
    [
      "page 2 of 10 per page",
      "?page=2&perPage=10",
      { totalItems: 25, totalPages: 3, perPage: 10, first: "log14", count: 10 },
    ],
    [
      "the last, short page",
      "?page=3&perPage=10",
      { totalItems: 25, totalPages: 3, perPage: 10, first: "log04", count: 5 },
    ],
    ["past the end", "?page=9&perPage=10", { totalItems: 25, totalPages: 3, perPage: 10, first: "", count: 0 }],
    [
      "perPage is capped at 500",
      "?perPage=100000",
      { totalItems: 25, totalPages: 1, perPage: 500, first: "log24", count: 25 },
    ],
    [
      "empty filters do not filter",
      "?collection=&status=&since=",
      { totalItems: 25, totalPages: 1, perPage: 30, first: "log24", count: 25 },
    ],
  ];
  for (const [name, query, want] of cases) {
    test(name, async () => {
      const res = await t.request("GET", `/api/webhooks/logs${query}`);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        totalItems: want.totalItems,
        totalPages: want.totalPages,
        perPage: want.perPage,
      });
      expect(res.body.items).toHaveLength(want.count);
      if (want.first) expect(res.body.items[0].id).toBe(want.first);
    });
  }

  test("items are in rowid order, newest first, and every filter holds", async () => {
    const res = await t.request("GET", "/api/webhooks/logs?collection=a&status=success");
    expect(ids(res.body)).toEqual(["log13", "log11", "log08", "log06", "log03", "log01"]);
  });

  const bad: [string, string, string][] = [
    ["an unknown status", "?status=done", "status"],
    ["a page of 0", "?page=0", "page"],
    ["a perPage that is not a number", "?perPage=ten", "perPage"],
  ];
  for (const [name, query, field] of bad) {
    test(`${name} is a 400 naming ${field}`, async () => {
      const res = await t.request("GET", `/api/webhooks/logs${query}`);
      expect(res.status).toBe(400);
      expect(res.body.message).toContain(field);
    });
  }

  test("the status error lists the accepted values in data.status", async () => {
    const res = await t.request("GET", "/api/webhooks/logs?status=done");
    expect(res.body).toMatchObject({ status: 400, code: "VALIDATION", data: { status: { code: "invalid_value" } } });
    expect(res.body.data.status.message).toContain("pending, processing, held, success, failed, cancelled");
  });

  test("needs the admin token", async () => {
    const res = await t.app.fetch(new Request("http://hookd.test/api/webhooks/logs"));
    expect(res.status).toBe(401);
  });
});

describe("GET /api/webhooks/logs/:id", () => {
  test("answers the documented log entry shape, payload as the stored request body", async () => {
    const res = await t.request("GET", "/api/webhooks/logs/log06");
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(
      [
        "id",
        "source",
        "collection",
        "action",
        "record_id",
        "webhook",
        "cron_job",
        "trigger_id",
        "url",
        "method",
        "payload",
        "status",
        "http_status",
        "error_msg",
        "response_body",
        "tries",
        "retry_limit",
        "next_attempt_at",
        "duration_ms",
        "created_at",
        "updated_at",
      ].sort(),
    );
    expect(res.body).toMatchObject({
      id: "log06",
      source: "trigger",
      collection: "a",
      record_id: "rec6",
      status: "success",
      http_status: 200,
      payload: '{"n":6}',
      tries: 1,
      retry_limit: 5,
      webhook: null,
    });
  });

  test("an unknown id is a 404", async () => {
    const res = await t.request("GET", "/api/webhooks/logs/nope");
    expect(res).toMatchObject({ status: 404, body: { code: "NOT_FOUND" } });
  });
});

describe("POST /api/webhooks/logs/:id/retry", () => {
  const cases: [string, number, string][] = [
    ["a pending delivery", 409, "log00"],
    ["a delivered one", 409, "log01"],
    ["one in flight", 409, "log04"],
    ["an unknown one", 404, "nope"],
  ];
  for (const [name, status, id] of cases) {
    test(`${name} answers ${status}`, async () => {
      const res = await t.request("POST", `/api/webhooks/logs/${id}/retry`);
      expect(res.status).toBe(status);
      if (status === 409) expect(res.body.message).toContain("only a failed or cancelled delivery can be retried");
    });
  }

  test("a cancelled delivery can be retried too", async () => {
    await t.deps.db.execute("UPDATE _webhook_logs SET status = 'cancelled' WHERE id = 'log05'");
    expect((await t.request("POST", "/api/webhooks/logs/log05/retry")).body).toMatchObject({
      id: "log05",
      status: "pending",
      tries: 0,
    });
  });

  test("a failed delivery goes back to pending with a fresh attempt budget and the same id", async () => {
    const res = await t.request("POST", "/api/webhooks/logs/log02/retry");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: "log02", status: "pending", tries: 0 });
    expect(Date.parse(res.body.next_attempt_at)).toBeGreaterThan(Date.parse("2026-01-01T00:01:00Z"));
  });
});
