// Inputs that used to change data silently, or be accepted and then fail every attempt:
// NUL in text, fields that spoof record metadata, JSON nested too deep, unknown keys,
// and header values hookd cannot send. Each is a 400 naming the field, REST and GraphQL,
// and nothing is written.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { MAX_JSON_DEPTH } from "../../src/lib/json_depth";
import { countRows, runScenarios, type Scenario } from "../support/scenario";
import { makeTestApp, type TestApp } from "../support/test_app";

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
  const c = await t.request("POST", "/api/collections", {
    name: "docs",
    schema: [
      { name: "title", type: "text" },
      { name: "link", type: "url" },
      { name: "meta", type: "json" },
    ],
    triggers: [{ action: "create", url: "https://example.com/hook" }],
  });
  expect(c.status).toBe(200);
  expect((await t.request("POST", "/api/collections/docs/records", { id: "d1", title: "kept" })).status).toBe(200);
  expect((await t.request("POST", "/api/webhooks", { name: "wh", url: "https://example.com/wh" })).status).toBe(200);
  expect(
    (await t.request("POST", "/api/cron", { name: "job", schedule: "0 2 * * *", type: "sql", sql: "SELECT 1" })).status,
  ).toBe(200);
});
afterAll(() => t.deps.db.close());

/** nested is a JSON array nested n levels deep. */
const nested = (n: number): unknown => {
  let v: unknown = [];
  for (let i = 1; i < n; i++) v = [v];
  return v;
};
const deepText = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`;

/** refused is a REST scenario answered 400 whose data names `field`, after which `unchanged` still holds. */
function refused(
  name: string,
  method: string,
  url: string,
  body: unknown,
  field: string,
  unchanged?: Scenario["after"],
): Scenario {
  return {
    name,
    method,
    url,
    body,
    expectedStatus: 400,
    after: async (app, res) => {
      expect(Object.keys(res.data)).toContain(field);
      await unchanged?.(app, res);
    },
  };
}

const onlyRecordD1 = async (app: TestApp) => {
  expect(await countRows(app, "docs")).toBe(1);
  expect((await app.deps.db.execute("SELECT title FROM docs")).rows[0]!.title).toBe("kept");
};
const collectionsAre = (n: number) => async (app: TestApp) => expect(await countRows(app, "_collections")).toBe(n);

describe("records: NUL, deep JSON", () => {
  runScenarios(
    () => t,
    [
      refused(
        "text with a NUL → 400 naming it",
        "POST",
        "/api/collections/docs/records",
        { title: "a\u0000b" },
        "title",
        onlyRecordD1,
      ),
      refused(
        "url with a NUL → 400 naming it",
        "POST",
        "/api/collections/docs/records",
        { link: "https://x.test/a\u0000b" },
        "link",
        onlyRecordD1,
      ),
      refused(
        "text with a lone surrogate (stored as U+FFFD) → 400 naming it",
        "POST",
        "/api/collections/docs/records",
        '{"title": "a\\ud800b"}',
        "title",
        onlyRecordD1,
      ),
      refused(
        "an update with a NUL → 400",
        "PATCH",
        "/api/collections/docs/records/d1",
        { title: "cut\u0000here" },
        "title",
        onlyRecordD1,
      ),
      refused(
        "bulk update with a NUL → 400",
        "PATCH",
        "/api/collections/docs/records/bulk",
        { ids: ["d1"], data: { title: "x\u0000" } },
        "title",
        onlyRecordD1,
      ),
      refused(
        "json nested 100,000 deep → 400, not 500",
        "POST",
        "/api/collections/docs/records",
        `{"meta": ${deepText(100_000)}}`,
        "meta",
        onlyRecordD1,
      ),
      refused(
        "json nested 1,000 deep → 400",
        "POST",
        "/api/collections/docs/records",
        { meta: nested(1000) },
        "meta",
        onlyRecordD1,
      ),
      refused(
        `json nested ${MAX_JSON_DEPTH + 1} deep → 400`,
        "POST",
        "/api/collections/docs/records",
        { meta: nested(MAX_JSON_DEPTH + 1) },
        "meta",
        onlyRecordD1,
      ),
      refused(
        "bulk data nested 100,000 deep → 400",
        "PATCH",
        "/api/collections/docs/records/bulk",
        `{"ids": ["d1"], "data": {"meta": ${deepText(100_000)}}}`,
        "data",
        onlyRecordD1,
      ),
    ],
  );

  test(`json nested ${MAX_JSON_DEPTH} deep is stored, answered and captured alike (an object, never a string)`, async () => {
    const meta = nested(MAX_JSON_DEPTH);
    const res = await t.request("POST", "/api/collections/docs/records", { id: "deep", meta });
    expect(res.status).toBe(200);
    expect(res.body.meta).toEqual(meta);
    const row = (await t.deps.db.execute("SELECT payload FROM _webhook_logs WHERE record_id = 'deep'")).rows[0]!;
    expect(JSON.parse(String(row.payload)).record.meta).toEqual(meta);
    expect((await t.request("DELETE", "/api/collections/docs/records/deep")).status).toBe(204);
  });

  test("a NUL or a lone surrogate inside a json value is kept exactly (JSON escapes both)", async () => {
    const res = await t.request("POST", "/api/collections/docs/records", {
      id: "nul",
      meta: { s: "a\u0000b", t: "x\udc00" },
    });
    expect(res.status).toBe(200);
    expect((await t.request("GET", "/api/collections/docs/records/nul")).body.meta).toEqual({
      s: "a\u0000b",
      t: "x\udc00",
    });
    expect((await t.request("DELETE", "/api/collections/docs/records/nul")).status).toBe(204);
  });
});

describe("GraphQL records: NUL, deep JSON", () => {
  const create = 'mutation($data: JSON!) { createRecord(collection: "docs", data: $data) }';
  const cases: [string, unknown, string][] = [
    ["text with a NUL", { title: "a\u0000b" }, "title"],
    [`json nested ${MAX_JSON_DEPTH + 1} deep`, { meta: nested(MAX_JSON_DEPTH + 1) }, "meta"],
  ];
  for (const [what, data, field] of cases) {
    test(`${what} → VALIDATION naming ${field}`, async () => {
      const res = await t.graphql(create, { data });
      expect(res.body.errors[0].extensions).toMatchObject({
        code: "VALIDATION",
        data: { [field]: expect.any(Object) },
      });
      await onlyRecordD1(t);
    });
  }
  test("a variable nested 100,000 deep → VALIDATION, not INTERNAL", async () => {
    const res = await t.request(
      "POST",
      "/graphql",
      `{"query": ${JSON.stringify(create)}, "variables": {"data": {"meta": ${deepText(100_000)}}}}`,
    );
    expect(res.status).toBeLessThan(500);
    expect(JSON.stringify(res.body)).toContain("levels deep");
    expect(JSON.stringify(res.body)).not.toContain("INTERNAL");
    await onlyRecordD1(t);
  });
});

describe("collections: metadata names and unknown keys", () => {
  const create = (name: string, body: Record<string, unknown>, field: string) =>
    refused(name, "POST", "/api/collections", { name: "bad", ...body }, field, collectionsAre(1));
  runScenarios(
    () => t,
    [
      create("a field named collectionId → 400", { schema: [{ name: "collectionId", type: "text" }] }, "schema.0.name"),
      create(
        "a field named collectionName → 400",
        {
          fields: [
            { name: "title", type: "text" },
            { name: "collectionName", type: "text" },
          ],
        },
        "fields.1.name",
      ),
      create("a field named expand → 400", { schema: [{ name: "expand", type: "json" }] }, "schema.0.name"),
      create("a field named ID (any case) → 400", { schema: [{ name: "ID", type: "text" }] }, "schema.0.name"),
      create('"feilds" → 400 naming it', { feilds: [{ name: "title", type: "text" }] }, "feilds"),
      create(
        "an unknown key on a field → 400",
        { schema: [{ name: "title", type: "text", requird: true }] },
        "schema.0.requird",
      ),
      create(
        "an unknown key on a trigger → 400",
        { triggers: [{ action: "create", url: "https://x.test", retries: 3 }] },
        "triggers.0.retries",
      ),
      create(
        "an unknown key on a trigger inside options → 400",
        { options: { triggers: [{ action: "create", url: "https://x.test", hdrs: {} }] } },
        "options.triggers.0.hdrs",
      ),
      create(
        "a select value with a NUL → 400",
        { schema: [{ name: "s", type: "select", options: { values: ["a\u0000"] } }] },
        "schema.0.options.values",
      ),
      create("options nested 1,000 deep → 400", { options: { x: nested(1000) } }, "options"),
      create(
        '"trigers" inside options → 400 naming it',
        { options: { trigers: [{ action: "create", url: "https://x.test" }] } },
        "options.trigers",
      ),
      create(
        "an unknown key inside options given as a JSON string → 400",
        { options: JSON.stringify({ triggers: [], extra: 1 }) },
        "options.extra",
      ),
      refused(
        "an update adding a field named collectionId → 400",
        "PATCH",
        "/api/collections/docs",
        {
          schema: [
            { name: "title", type: "text" },
            { name: "collectionId", type: "text" },
          ],
        },
        "schema.1.name",
        async (app) => {
          expect((await app.request("GET", "/api/collections/docs")).body.schema.map((f: any) => f.name)).toEqual([
            "title",
            "link",
            "meta",
          ]);
        },
      ),
      refused("an update with an unknown key → 400", "PATCH", "/api/collections/docs", { nmae: "other" }, "nmae"),
    ],
  );

  test("GraphQL: a field named collectionId → VALIDATION naming it", async () => {
    const res = await t.graphql(
      `mutation { createCollection(input: { name: "bad", fields: [{ name: "collectionId", type: "text" }] }) { name } }`,
    );
    expect(res.body.errors[0].extensions).toMatchObject({
      code: "VALIDATION",
      data: { "fields.0.name": expect.any(Object) },
    });
    await collectionsAre(1)(t);
  });

  test("GraphQL: an unknown key in a typed input is refused by the schema, naming it", async () => {
    const res = await t.graphql(
      `mutation { createCollection(input: { name: "bad", feilds: [{ name: "title", type: "text" }] }) { name } }`,
    );
    expect(res.body.errors[0]).toMatchObject({
      message: expect.stringContaining('"feilds"'),
      extensions: { code: "GRAPHQL_VALIDATION_FAILED" },
    });
    await collectionsAre(1)(t);
  });

  test("what PocketBase/VSKI clients send (or echo from a GET) is still accepted", async () => {
    const got = (await t.request("GET", "/api/collections/docs")).body;
    const res = await t.request("PATCH", "/api/collections/docs", {
      ...got,
      system: false,
      listRule: null,
      indexes: [],
    });
    expect(res.status).toBe(200);
    expect(res.body.schema.map((f: any) => f.name)).toEqual(["title", "link", "meta"]);
    expect((await t.request("GET", "/api/collections/docs/records/d1")).body.title).toBe("kept");
  });
});

describe("headers hookd cannot send are refused where they are set", () => {
  const bad: [string, string][] = [
    ["non-ASCII", "café"],
    ["a NUL", "a\u0000b"],
    ["CR/LF", "a\r\nX-Injected: 1"],
    ["another control character", "a\u0007b"],
    ["a trailing space (fetch would strip it)", "token "],
  ];
  const scenarios: Scenario[] = [];
  for (const [what, value] of bad) {
    scenarios.push(
      refused(
        `trigger header with ${what}`,
        "PATCH",
        "/api/collections/docs",
        { triggers: [{ action: "create", url: "https://x.test", headers: { "X-Bad": value } }] },
        "triggers.0.headers.X-Bad",
      ),
      refused(
        `webhook header with ${what}`,
        "POST",
        "/api/webhooks",
        { name: "w2", url: "https://x.test", headers: { "X-Bad": value } },
        "headers.X-Bad",
      ),
      refused(
        `webhook update header with ${what}`,
        "PATCH",
        "/api/webhooks/wh",
        { headers: { "X-Bad": value } },
        "headers.X-Bad",
      ),
      refused(
        `cron header with ${what}`,
        "POST",
        "/api/cron",
        { name: "c2", schedule: "* * * * *", type: "http", url: "https://x.test", headers: { "X-Bad": value } },
        "headers.X-Bad",
      ),
    );
  }
  scenarios.push(
    refused(
      "an invalid header name (space)",
      "POST",
      "/api/webhooks",
      { name: "w2", url: "https://x.test", headers: { "X Bad": "v" } },
      "headers.X Bad",
    ),
    refused(
      "an invalid header name (non-ASCII)",
      "PATCH",
      "/api/cron/job",
      { type: "http", url: "https://x.test", headers: { "X-Bä": "v" } },
      "headers.X-Bä",
    ),
  );
  runScenarios(() => t, scenarios);

  test("nothing was stored", async () => {
    expect((await t.request("GET", "/api/webhooks/wh")).body.headers).toEqual({});
    expect((await t.request("GET", "/api/cron/job")).body).toMatchObject({ type: "sql", headers: {} });
    expect(await countRows(t, "_webhooks")).toBe(1);
    expect(await countRows(t, "_cron_jobs")).toBe(1);
    expect((await t.request("GET", "/api/collections/docs")).body.options.triggers).toEqual([
      expect.objectContaining({ url: "https://example.com/hook", headers: {} }),
    ]);
  });

  test("GraphQL: a webhook header with a NUL → VALIDATION naming it", async () => {
    const res = await t.graphql(
      `mutation($h: JSON) { createWebhook(input: { name: "w3", url: "https://x.test", headers: $h }) { name } }`,
      { h: { "X-Bad": "a\u0000" } },
    );
    expect(res.body.errors[0].extensions).toMatchObject({
      code: "VALIDATION",
      data: { "headers.X-Bad": expect.any(Object) },
    });
  });
});

describe("webhooks and cron jobs: unknown keys, NUL and deep bodies", () => {
  runScenarios(
    () => t,
    [
      refused(
        "webhook with an unknown key",
        "POST",
        "/api/webhooks",
        { name: "w4", url: "https://x.test", retries: 3 },
        "retries",
      ),
      refused("webhook update with an unknown key", "PATCH", "/api/webhooks/wh", { urll: "https://y.test" }, "urll"),
      refused(
        "webhook body string with a NUL",
        "POST",
        "/api/webhooks",
        { name: "w4", url: "https://x.test", contentType: "text", body: "a\u0000b" },
        "body",
      ),
      refused(
        "webhook body string with a lone surrogate",
        "POST",
        "/api/webhooks",
        '{"name": "w4", "url": "https://x.test", "contentType": "text", "body": "a\\udc00"}',
        "body",
      ),
      refused(
        "webhook body nested 1,000 deep",
        "POST",
        "/api/webhooks",
        { name: "w4", url: "https://x.test", body: { x: nested(1000) } },
        "body",
      ),
      refused(
        "webhook body nested 100,000 deep",
        "POST",
        "/api/webhooks",
        `{"name": "w4", "url": "https://x.test", "body": ${deepText(100_000)}}`,
        "body",
      ),
      refused(
        `trigger payload nested ${MAX_JSON_DEPTH + 1} deep`,
        "POST",
        "/api/webhooks/wh/trigger",
        nested(MAX_JSON_DEPTH + 1),
        "payload",
      ),
      refused("trigger payload nested 100,000 deep", "POST", "/api/webhooks/wh/trigger", deepText(100_000), "body"),
      refused(
        "cron job with an unknown key",
        "POST",
        "/api/cron",
        { name: "c3", schedule: "* * * * *", type: "sql", sql: "SELECT 1", sheduel: "x" },
        "sheduel",
      ),
      refused("cron update with an unknown key", "PATCH", "/api/cron/job", { enabeld: false }, "enabeld"),
      refused("cron sql with a NUL", "PATCH", "/api/cron/job", { sql: "SELECT 1;\u0000DROP" }, "sql"),
      refused(
        "cron body nested 1,000 deep",
        "POST",
        "/api/cron",
        { name: "c3", schedule: "* * * * *", type: "http", url: "https://x.test", body: nested(1000) },
        "body",
      ),
    ],
  );

  test("echoed read-only keys are ignored: a webhook and a cron job PATCHed with what GET answered", async () => {
    const wh = (await t.request("GET", "/api/webhooks/wh")).body;
    expect((await t.request("PATCH", "/api/webhooks/wh", wh)).status).toBe(200);
    const job = (await t.request("GET", "/api/cron/job")).body;
    expect((await t.request("PATCH", "/api/cron/job", job)).status).toBe(200);
    expect((await t.request("GET", "/api/cron/job")).body.sql).toBe("SELECT 1");
    expect(
      (await t.deps.db.execute("SELECT count(*) AS n FROM _webhook_logs WHERE source = 'webhook'")).rows[0]!.n,
    ).toBe(0);
  });
});
