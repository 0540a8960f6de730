// Listing parameters (docs/api.md): records filter, sort and fields in the trigger-condition
// grammar, over REST and GraphQL; collections filtered the same way; every problem of a query
// reported at once; unknown parameters refused; relative times in the log filters.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { insertLogRows } from "../support/log_rows";
import { runScenarios, type Scenario } from "../support/scenario";
import { makeTestApp, type TestApp } from "../support/test_app";

const NOW = new Date("2026-03-01T12:00:00.000Z");
let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp({}, { clock: { now: () => NOW } });
  const posts = await t.request("POST", "/api/collections", {
    name: "posts",
    schema: [
      { name: "title", type: "text" },
      { name: "status", type: "select", options: { values: ["draft", "published"] } },
      { name: "views", type: "number" },
      { name: "meta", type: "json" },
    ],
  });
  expect(posts.status).toBe(200);
  const rows = [
    { id: "p1", title: "alpha", status: "draft", views: 5, meta: { tag: "x" } },
    { id: "p2", title: "beta", status: "draft", views: 50, meta: { tag: "y" } },
    { id: "p3", title: "gamma", status: "published", views: 500, meta: "hot" },
    { id: "p4", title: "delta", status: "draft", views: 11 },
  ];
  for (const r of rows) expect((await t.request("POST", "/api/collections/posts/records", r)).status).toBe(200);
  await insertLogRows(t.deps.db, [
    { id: "old", source: "webhook", status: "success", webhook: "w", created_at: "2026-03-01T10:00:00.000Z" },
    { id: "recent", source: "webhook", status: "success", webhook: "w", created_at: "2026-03-01T11:30:00.000Z" },
  ]);
});
afterAll(() => t.deps.db.close());

const ids = (body: { items: { id: string }[] }) => body.items.map((i) => i.id);
const RECORDS = "/api/collections/posts/records";
const q = (params: Record<string, string>) => `?${new URLSearchParams(params)}`;

describe("records over REST", () => {
  runScenarios(() => t, [
    {
      name: "the documented example: filter, sort and fields together",
      method: "GET",
      url: RECORDS + q({ filter: "(status='draft' && views>10)", sort: "-created,title", fields: "id,title" }),
      expectedStatus: 200,
      after: (_t, body) => {
        expect(body.totalItems).toBe(2);
        expect(body.items).toEqual([
          // Created in the same instant: title decides.
          { id: "p2", title: "beta" },
          { id: "p4", title: "delta" },
        ]);
      },
    },
    {
      name: "|| and ~, sorted ascending by a number",
      method: "GET",
      url: RECORDS + q({ filter: "title ~ 'ET' || views >= 500", sort: "views" }),
      expectedStatus: 200,
      after: (_t, body) => expect(ids(body)).toEqual(["p2", "p3"]),
    },
    {
      name: "a json field compares its value",
      method: "GET",
      url: RECORDS + q({ filter: "meta = 'hot'" }),
      expectedStatus: 200,
      after: (_t, body) => expect(ids(body)).toEqual(["p3"]),
    },
    {
      name: "null and the record's own columns",
      method: "GET",
      url: RECORDS + q({ filter: "meta = null || id = 'p1'", sort: "id" }),
      expectedStatus: 200,
      after: (_t, body) => expect(ids(body)).toEqual(["p1", "p4"]),
    },
    {
      name: "fields on a single record",
      method: "GET",
      url: `${RECORDS}/p1?fields=title,views`,
      expectedStatus: 200,
      after: (_t, body) => expect(body).toEqual({ title: "alpha", views: 5 }),
    },
    {
      name: "a filter's syntax error names the parameter and the character",
      method: "GET",
      url: RECORDS + q({ filter: "status = 'draft' &&" }),
      expectedStatus: 400,
      expectedContent: ['"code":"VALIDATION"', '"filter":{"code":"invalid_filter"', "at character 20"],
    },
    {
      name: "an unknown field in a filter is named with its position",
      method: "GET",
      url: RECORDS + q({ filter: "(status='draft' && vews>10)" }),
      expectedStatus: 400,
      expectedContent: ['unknown field \\"vews\\" at character 20'],
    },
    {
      name: "old.<field> belongs to triggers, not filters",
      method: "GET",
      url: RECORDS + q({ filter: "old.status = 'draft'" }),
      expectedStatus: 400,
      expectedContent: ["old.<field> is for trigger conditions"],
    },
    {
      name: "a bad page, perPage, sort, fields and filter are all reported, with an unknown parameter",
      method: "GET",
      url: RECORDS + q({ page: "x", perPage: "0", sort: "-nope", fields: "id,nah", filter: "(", filtr: "a" }),
      expectedStatus: 400,
      after: (_t, body) => {
        expect(body.code).toBe("VALIDATION");
        expect(Object.keys(body.data).sort()).toEqual(["fields", "filter", "filtr", "page", "perPage", "sort"]);
        expect(body.data.page.message).toContain('got "x"');
        expect(body.data.sort.message).toContain('no field "nope"');
        expect(body.data.filtr.code).toBe("unknown_parameter");
      },
    },
    {
      name: "a parameter given twice is refused",
      method: "GET",
      url: `${RECORDS}?filter=views>1&filter=views<2`,
      expectedStatus: 400,
      expectedContent: ['"filter":{"code":"repeated_parameter"'],
    },
    {
      name: "a bad fields on create writes nothing",
      method: "POST",
      url: `${RECORDS}?fields=nope`,
      body: { id: "never", title: "never" },
      expectedStatus: 400,
      after: async (t) => expect((await t.request("GET", `${RECORDS}/never`)).status).toBe(404),
    },
    {
      name: "a route that takes no parameters refuses any",
      method: "DELETE",
      url: `${RECORDS}/p1?filter=views>0`,
      expectedStatus: 400,
      after: async (t) => expect((await t.request("GET", `${RECORDS}/p1`)).status).toBe(200),
    },
  ] satisfies Scenario[]);
});

describe("collections and GraphQL", () => {
  test("collections are filtered and sorted by their own columns", async () => {
    await t.request("POST", "/api/collections", { name: "another", schema: [] });
    const res = await t.request("GET", `/api/collections${q({ filter: "name ~ 'o'", sort: "-name", fields: "name" })}`);
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([{ name: "posts" }, { name: "another" }]);
    const bad = await t.request("GET", `/api/collections${q({ filter: "title = 'x'" })}`);
    expect(bad.status).toBe(400);
    expect(bad.body.data.filter.message).toContain('unknown field "title"');
  });

  test("GraphQL records(collection, filter, sort)", async () => {
    const res = await t.graphql(
      `{ records(collection: "posts", filter: "status = 'draft' && views > 10", sort: "title") { totalItems items } }`,
    );
    expect(res.body.data.records.totalItems).toBe(2);
    expect(res.body.data.records.items.map((r: { id: string }) => r.id)).toEqual(["p2", "p4"]);
    const bad = await t.graphql(`{ records(collection: "posts", filter: "views >") { totalItems } }`);
    expect(bad.body.errors[0].extensions).toMatchObject({ code: "VALIDATION", status: 400 });
    expect(bad.body.errors[0].message).toContain("filter: expected");
  });
});

describe("relative times in the log filters", () => {
  test.each([
    ["since=-1h", ["recent"]],
    ["since=-3h&until=-1h", ["old"]],
    ["until=now", ["recent", "old"]],
    ["since=-90m&until=now", ["recent"]],
  ])("%s", async (query, want) => {
    const res = await t.request("GET", `/api/webhooks/logs?${query}`);
    expect(res.status).toBe(200);
    expect(ids(res.body)).toEqual(want);
  });

  test("a bad time and a bad status are both reported; the time's message names the forms", async () => {
    const res = await t.request("GET", "/api/webhooks/logs?since=-1y&status=done");
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.data).sort()).toEqual(["since", "status"]);
    expect(res.body.data.since.message).toContain("-1h");
  });

  test("GraphQL and bulk filters take relative times too", async () => {
    const res = await t.graphql(`{ webhookLogs(filter: { since: "-1h" }) { items { id } } }`);
    expect(res.body.data.webhookLogs.items).toEqual([{ id: "recent" }]);
    const bulk = await t.request("POST", "/api/webhooks/logs/cancel", { filter: { since: "-1h", status: "pending" } });
    expect(bulk.body).toEqual({ count: 0 });
  });
});

test("GET / points to the dashboard", async () => {
  const res = await t.app.fetch(new Request("http://hookd.test/"));
  expect(res.status).toBe(302);
  expect(res.headers.get("location")).toBe("/_/");
});

test("a finished delivery has no next attempt (REST and GraphQL)", async () => {
  const rest = await t.request("GET", "/api/webhooks/logs/old");
  expect(rest.body).toMatchObject({ status: "success", next_attempt_at: null });
  const gql = await t.graphql(`{ webhookLog(id: "old") { nextAttemptAt } }`);
  expect(gql.body.data.webhookLog).toEqual({ nextAttemptAt: null });
});

test("GraphQL records: a bad page and a bad filter are reported together", async () => {
  const res = await t.graphql(
    `{ records(collection: "posts", page: 0, filter: "views >", sort: "nope") { totalItems } }`,
  );
  expect(res.body.errors[0].extensions.code).toBe("VALIDATION");
  expect(Object.keys(res.body.errors[0].extensions.data).sort()).toEqual(["filter", "page", "sort"]);
});

test("GraphQL collections(filter, sort) as over REST", async () => {
  const res = await t.graphql(`{ collections(filter: "name ~ 'o'", sort: "-name") { items { name } } }`);
  expect(res.body.data.collections.items.map((c: { name: string }) => c.name)).toEqual(["posts", "another"]);
  const bad = await t.graphql(`{ collections(filter: "title = 'x'") { totalItems } }`);
  expect(bad.body.errors[0].extensions).toMatchObject({ code: "VALIDATION", data: { filter: {} } });
});
