// No input, however malformed, gets a 500 or changes data: every collection and record
// endpoint against a table of odd bodies, paths and queries.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { makeTestApp, type TestApp } from "../support/test_app";
import { ADMIN, send } from "../support/scenario";

let t: TestApp;
let snapshot = "";

/** dump is every user-visible row, to prove refused requests changed nothing. */
async function dump(app: TestApp): Promise<string> {
  const parts: unknown[] = [];
  for (const table of ["_collections", "posts", "_webhook_logs"])
    parts.push((await app.deps.db.execute(`SELECT * FROM "${table}" ORDER BY rowid`)).rows);
  parts.push((await app.deps.db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name")).rows);
  return JSON.stringify(parts);
}

beforeAll(async () => {
  t = await makeTestApp();
  const c = await t.request("POST", "/api/collections", {
    name: "posts",
    schema: [
      { name: "title", type: "text", required: true },
      { name: "constructor", type: "text", required: true },
      { name: "n", type: "number" },
    ],
    triggers: [{ action: "create", url: "https://example.com/hook" }],
  });
  expect(c.status).toBe(200);
  expect(
    (await t.request("POST", "/api/collections/posts/records", { id: "p1", title: "kept", constructor: "c" })).status,
  ).toBe(200);
  snapshot = await dump(t);
});
afterAll(() => t.deps.db.close());

const deep = (n: number): string => "[".repeat(n) + "]".repeat(n);
const BODIES: [string, string][] = [
  ["empty", ""],
  ["null", "null"],
  ["a number", "123"],
  ["a string", '"posts"'],
  ["true", "true"],
  ["an empty list", "[]"],
  ["an empty object", "{}"],
  ["truncated JSON", '{"name": "x", "schema": ['],
  ["trailing garbage", '{"name": "x"} trailing'],
  ["NUL bytes", '{"name": "a\\u0000b", "title": "a\\u0000b"}'],
  ["deep nesting", `{"title": ${deep(5000)}}`],
  ["__proto__ keys", '{"__proto__": {"title": "x"}, "constructor": {"prototype": 1}}'],
  [
    "null fields",
    '{"name": null, "schema": null, "fields": null, "options": null, "triggers": null, "ids": null, "data": null, "title": null}',
  ],
  [
    "wrong types everywhere",
    '{"name": ["x"], "schema": {"a": 1}, "options": [], "triggers": "x", "ids": {"a": 1}, "data": [1], "title": 1}',
  ],
  ["huge numbers", '{"name": 1e400, "title": 1e400, "n": 1e400, "ids": [1e400], "data": {"n": -1e400}}'],
  ["a long key", `{"${"k".repeat(100_000)}": 1}`],
  ["odd unicode", '{"name": "\\ud800", "title": "\\ud800\\udfff\\u202e"}'],
  ["schema items that are not objects", '{"name": "bad_items", "schema": [null, 1, "x", []]}'],
  ["triggers that are not objects", '{"name": "bad_trig", "triggers": [null, 1, "x"]}'],
  ["options with odd triggers", '{"name": "bad_opts", "options": "{\\"triggers\\": {\\"action\\": 1}}"}'],
  [
    "an SQL injection attempt",
    `{"name": "x\\"; DROP TABLE posts; --", "title": "'); DROP TABLE posts; --", "ids": ["p1' OR '1'='1"]}`,
  ],
];

const ENDPOINTS: [string, string][] = [
  ["POST", "/api/collections"],
  ["PATCH", "/api/collections/posts"],
  ["POST", "/api/collections/posts/records"],
  ["PATCH", "/api/collections/posts/records/p1"],
  ["PATCH", "/api/collections/posts/records/bulk"],
  ["DELETE", "/api/collections/posts/records/bulk"],
  ["POST", "/graphql"],
];

describe("odd bodies never give a 500 and change nothing", () => {
  for (const [method, url] of ENDPOINTS) {
    for (const [what, body] of BODIES) {
      test(`${method} ${url} with ${what}`, async () => {
        const res = await send(t, { method, url, body });
        expect(res.status).toBeLessThan(500);
        if (res.status === 200 && url === "/graphql")
          expect(res.json.errors?.[0]?.extensions?.code).not.toBe("INTERNAL");
        if (res.status >= 400 && url !== "/graphql")
          expect(res.json).toMatchObject({
            status: res.status,
            code: expect.any(String),
            message: expect.any(String),
            data: expect.any(Object),
          });
      });
    }
  }

  test("the data is exactly as before", async () => {
    // PATCH /api/collections/posts with {} or all-null parts is a valid no-op update; only `updated` moves.
    const now = (await dump(t)).replace(/"updated":"[^"]+"/g, "");
    expect(now).toBe(snapshot.replace(/"updated":"[^"]+"/g, ""));
  });
});

describe("odd paths and queries", () => {
  const CASES: [string, string][] = [
    ["GET", "/api/collections/posts/records?page=1e999"],
    ["GET", "/api/collections/posts/records?perPage=-0"],
    ["GET", "/api/collections/posts/records?page=0x10"],
    ["GET", "/api/collections/posts/records?sort=" + encodeURIComponent('title"; DROP TABLE posts; --')],
    ["GET", "/api/collections/posts/records?sort=-"],
    ["GET", "/api/collections/posts/records?sort=rowid"],
    ["GET", "/api/collections/posts/records?sort=" + "title,".repeat(5000)],
    ["GET", "/api/collections/posts/records?page=1&page=2&perPage=a&perPage=2"],
    ["GET", "/api/collections/%00/records"],
    ["GET", "/api/collections/posts%2Frecords"],
    ["GET", "/api/collections/posts/records/%27%20OR%201%3D1"],
    ["GET", "/api/collections/" + "a".repeat(10_000)],
    ["GET", "/api/collections/sqlite_master/records"],
    ["GET", "/api/collections/_settings/records"],
    ["DELETE", "/api/collections/_collections"],
    ["PATCH", "/api/collections/sqlite_master"],
    ["GET", "/graphql?query=" + encodeURIComponent('{ records(collection: "_settings") { items } }')],
    ["GET", "/graphql?query=" + encodeURIComponent('{ record(collection: "posts", id: "\' OR 1=1 --") }')],
    ["GET", "/graphql?query=" + encodeURIComponent("{ " + "collections { totalItems } ".repeat(2) + "}")],
    ["GET", "/graphql?query=%7B"],
    ["GET", "/graphql"],
  ];
  for (const [method, url] of CASES) {
    test(`${method} ${url.slice(0, 80)}`, async () => {
      const res = await send(t, { method, url, headers: ADMIN });
      expect(res.status).toBeLessThan(500);
      if (url.startsWith("/graphql")) expect(res.text).not.toContain('"INTERNAL"');
    });
  }

  test("reserved tables are not reachable as collections", async () => {
    for (const name of ["_settings", "_collections", "sqlite_master", "_webhook_logs"]) {
      expect((await send(t, { method: "GET", url: `/api/collections/${name}/records` })).status).toBe(404);
    }
    expect(await dump(t)).toContain("kept");
  });
});

test("a required field named like an Object.prototype member is still required", async () => {
  const res = await t.request("POST", "/api/collections/posts/records", { title: "no constructor given" });
  expect(res.status).toBe(400);
  expect(res.body.data.constructor).toMatchObject({ code: "required" });
});
