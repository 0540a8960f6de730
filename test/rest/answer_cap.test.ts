// HOOKD_MAX_ANSWER_BYTES: every listing that reads rows (records, the delivery log, a
// delivery's attempts, a cron job's runs) counts their bytes as it reads them and refuses
// past the cap — 413 ANSWER_TOO_LARGE over REST, 400 QUERY_TOO_COMPLEX over GraphQL — while
// pages under the cap answer as before.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { openDatabase, type Db } from "../../src/db/client";
import { readPage, type PageQuery } from "../../src/db/read_page";
import { AnswerTooLargeError } from "../../src/errors";
import { AnswerBudget } from "../../src/lib/answer_budget";
import { insertLogRows } from "../support/log_rows";
import { makeTestApp, type TestApp } from "../support/test_app";

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
});

describe("lists answered whole (webhooks, cron jobs) are read against the cap too", () => {
  beforeAll(async () => {
    for (let i = 0; i < 10; i++) {
      const hook = { name: `hook${i}`, url: "http://127.0.0.1:9/x", headers: { "X-Filler": FILLER } };
      expect((await t.request("POST", "/api/webhooks", hook)).status).toBe(200);
      const sql = `DELETE FROM notes WHERE title = '${FILLER}'`;
      const job = { name: `job${i}`, schedule: "0 3 * * *", type: "sql", sql };
      expect((await t.request("POST", "/api/cron", job)).status).toBe(200);
    }
  });

  for (const [what, path, query] of [
    ["webhooks", "/api/webhooks", "{ webhooks { name headers } }"],
    ["cron jobs", "/api/cron", "{ cronJobs { name sql } }"],
  ]) {
    test(`${what}: a 413 over REST saying the list has no pages, QUERY_TOO_COMPLEX over GraphQL`, async () => {
      const res = await t.request("GET", path!);
      expect(res.status).toBe(413);
      expect(res.body.code).toBe("ANSWER_TOO_LARGE");
      expect(res.body.message).toContain("answered whole, without pages");
      const gql = await t.graphql(query!);
      expect(gql.status).toBe(400);
      expect(gql.body.errors[0].extensions.code).toBe("QUERY_TOO_COMPLEX");
      expect(gql.body.errors[0].message).toContain("HOOKD_MAX_ANSWER_BYTES");
    });
  }

  test("under the cap, the whole list is answered", async () => {
    const small = await makeTestApp(); // past the first chunk of rows (32), well under the default cap
    for (let i = 0; i < 40; i++)
      expect(
        (await small.request("POST", "/api/webhooks", { name: `h${i}`, url: "http://127.0.0.1:9/x" })).status,
      ).toBe(200);
    const res = await small.request("GET", "/api/webhooks");
    expect(res.status).toBe(200);
    expect(res.body.map((w: { name: string }) => w.name)).toEqual(Array.from({ length: 40 }, (_, i) => `h${i}`).sort());
    small.deps.db.close();
  });
});

describe("readPage reads in chunks and stops within about a chunk of the cap", () => {
  async function countingDb(rowBytesEach: number, rows: number) {
    const db = await openDatabase(":memory:");
    await db.execute("CREATE TABLE t (body TEXT)");
    const body = "r".repeat(rowBytesEach);
    for (let i = 0; i < rows; i++) await db.execute({ sql: "INSERT INTO t VALUES (?)", args: [body] });
    const seen = { statements: 0, rows: 0 };
    const counted = <T extends { rows: unknown[] }>(r: T) => ((seen.rows += r.rows.length), r);
    const wrapped: Db = {
      ...db,
      execute: async (stmt) => (seen.statements++, counted(await db.execute(stmt))),
      batch: async (stmts, mode) => ((seen.statements += stmts.length - 1), (await db.batch(stmts, mode)).map(counted)),
      close: () => db.close(),
    };
    return { db: wrapped, seen };
  }
  const query: PageQuery = {
    count: "SELECT count(*) AS n FROM t",
    rows: (limit, offset) => ({ sql: "SELECT body FROM t ORDER BY rowid LIMIT ? OFFSET ?", args: [limit, offset] }),
  };

  test("the default page of small rows is one statement, a full page of them two", async () => {
    const { db, seen } = await countingDb(50, 600);
    const budget = new AnswerBudget(16 * 2 ** 20);
    expect((await readPage(db, query, { page: 1, perPage: 30 }, budget, (r) => r)).items).toHaveLength(30);
    expect(seen.statements).toBe(1);
    seen.statements = 0;
    const page = await readPage(db, query, { page: 2, perPage: 500 }, budget, (r) => r);
    expect(page.items).toHaveLength(100);
    expect(page.totalItems).toBe(600);
    expect(seen.statements).toBe(2);
    db.close();
  });

  test("big rows: refused after reading no more than a chunk (1 MiB) and a row past the cap", async () => {
    const rowSize = 100_000;
    const { db, seen } = await countingDb(rowSize, 200);
    const cap = 4 * 2 ** 20;
    const budget = new AnswerBudget(cap);
    const refusal = await readPage(db, query, { page: 1, perPage: 200 }, budget, (r) => r).catch((e) => e);
    expect(refusal).toBeInstanceOf(AnswerTooLargeError);
    expect(seen.rows * rowSize).toBeGreaterThan(cap);
    expect(seen.rows * rowSize).toBeLessThan(cap + 2 ** 20 + rowSize);
    // The request's later reads are refused without reading.
    const before = seen.rows;
    const later = await readPage(db, query, { page: 1, perPage: 1 }, budget, (r) => r).catch((e) => e);
    expect(later).toBeInstanceOf(AnswerTooLargeError);
    expect(seen.rows).toBe(before);
    db.close();
  });
});
