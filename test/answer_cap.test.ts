// HOOKD_MAX_ANSWER_BYTES: every listing that reads rows (records, the delivery log, a
// delivery's attempts, a cron job's runs) counts their bytes as it reads them and refuses
// past the cap — 413 ANSWER_TOO_LARGE over REST, 400 QUERY_TOO_COMPLEX over GraphQL — while
// pages under the cap answer as before.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { insertLogRows } from "./support/log_rows";
import { makeTestApp, type TestApp } from "./support/test_app";

const LIMIT = 8 * 1024;
const FILLER = "x".repeat(1000);

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp({ maxAnswerBytes: LIMIT });
  const db = t.deps.db;
  expect(
    (await t.request("POST", "/api/collections", { name: "notes", schema: [{ name: "title", type: "text" }] })).status,
  ).toBe(200);
  for (let i = 0; i < 20; i++)
    await db.execute({ sql: "INSERT INTO notes (title) VALUES (?)", args: [`${i}${FILLER}`] });
  await insertLogRows(
    db,
    Array.from({ length: 20 }, (_, i) => ({ id: `d${i}`, collection: "notes" })),
  );
  await db.execute({ sql: "UPDATE _webhook_logs SET payload = ?", args: [JSON.stringify({ filler: FILLER })] });
  for (let n = 1; n <= 20; n++)
    await db.execute({
      sql: "INSERT INTO _webhook_attempts (delivery_id, n, at, url, http_status, response_body) VALUES ('d0', ?, ?, 'http://x.test', 500, ?)",
      args: [n, new Date().toISOString(), FILLER],
    });
  const job = { name: "nightly", schedule: "0 2 * * *", type: "sql", sql: "DELETE FROM notes WHERE title = 'old'" };
  expect((await t.request("POST", "/api/cron", job)).status).toBe(200);
  for (let i = 0; i < 20; i++)
    await db.execute({
      sql: "INSERT INTO _cron_runs (id, job, scheduled_at, started_at, status, error, instance) VALUES (?, 'nightly', ?, ?, 'failed', ?, 'i1')",
      args: [`run${i}`, `2026-01-01T00:00:${String(i).padStart(2, "0")}Z`, "2026-01-01T00:00:00Z", FILLER],
    });
});
afterAll(() => t.deps.db.close());

const LISTINGS: [string, string][] = [
  ["records", "/api/collections/notes/records"],
  ["the delivery log", "/api/webhooks/logs"],
  ["a delivery's attempts", "/api/webhooks/logs/d0/attempts"],
  ["a cron job's runs", "/api/cron/nightly/runs"],
];

describe("REST: a listing over the cap is a 413, a smaller page is answered", () => {
  for (const [what, path] of LISTINGS) {
    test(what, async () => {
      const over = await t.request("GET", `${path}?perPage=20`);
      expect(over.status).toBe(413);
      expect(over.body).toEqual({
        status: 413,
        code: "ANSWER_TOO_LARGE",
        message: expect.stringContaining("HOOKD_MAX_ANSWER_BYTES"),
        data: { perPage: { code: "answer_too_large", message: expect.any(String) } },
      });
      const under = await t.request("GET", `${path}?perPage=3`);
      expect(under.status).toBe(200);
      expect(under.body.items).toHaveLength(3);
      expect(under.body.totalItems).toBe(20);
    });
  }
});

const pages = (query: (perPage: number) => string): [string, string] => [query(20), query(3)];

describe("GraphQL: over the cap is QUERY_TOO_COMPLEX, counted across the whole query", () => {
  // [what, a query over the cap, one under it]
  const cases: [string, string, string][] = [
    ["records", ...pages((n) => `{ records(collection: "notes", perPage: ${n}) { items } }`)],
    ["webhookLogs", ...pages((n) => `{ webhookLogs(perPage: ${n}) { items { id payload } } }`)],
    [
      "a log's attempts",
      '{ webhookLog(id: "d0") { attempts { responseBody } } }',
      '{ webhookLog(id: "d1") { attempts { responseBody } } }',
    ],
    ["cronRuns", ...pages((n) => `{ cronRuns(job: "nightly", perPage: ${n}) { items { id error } } }`)],
  ];
  for (const [what, overQuery, underQuery] of cases) {
    test(what, async () => {
      const over = await t.graphql(overQuery);
      expect(over.status).toBe(400);
      expect(over.body.data).toBeUndefined();
      expect(over.body.errors).toEqual([
        {
          message: expect.stringContaining("HOOKD_MAX_ANSWER_BYTES"),
          extensions: { code: "QUERY_TOO_COMPLEX", status: 400, data: {} },
        },
      ]);
      const under = await t.graphql(underQuery);
      expect(under.status).toBe(200);
      expect(under.body.errors).toBeUndefined();
    });
  }

  test("aliases share one budget: each fits alone, together they do not", async () => {
    const one = '{ records(collection: "notes", perPage: 4) { items } }';
    expect((await t.graphql(one)).status).toBe(200);
    const aliases = `{ ${Array.from({ length: 5 }, (_, i) => `a${i}: records(collection: "notes", perPage: 4) { items }`).join(" ")} }`;
    const res = await t.graphql(aliases);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe("QUERY_TOO_COMPLEX");
  });

  test("lists not read in pages are still held to the cap once the answer is built", async () => {
    for (let i = 0; i < 10; i++)
      expect(
        (
          await t.request("POST", "/api/webhooks", {
            name: `hook${i}`,
            url: "http://127.0.0.1:9/x",
            headers: { "X-Filler": FILLER },
          })
        ).status,
      ).toBe(200);
    const res = await t.graphql("{ webhooks { name headers } }");
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions.code).toBe("QUERY_TOO_COMPLEX");
    expect(res.body.errors[0].message).toContain(`over the limit of ${LIMIT}`);
  });
});
