// Collections over REST: create, list, get, update, delete, and every bad input the
// foundation promises a clear 4xx for, with nothing half-written.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { makeTestApp, type TestApp } from "../support/test_app";
import { ADMIN, columnsOf, countRows, runScenarios, send, tableExists, type Scenario } from "../support/scenario";

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(() => t.deps.db.close());

const hook = "https://example.com/hook";

/** notCreated checks that a refused create left no catalogue row and no table behind. */
const notCreated = (name: string) => async (app: TestApp) => {
  const rs = await app.deps.db.execute({
    sql: "SELECT count(*) AS n FROM _collections WHERE lower(name) = lower(?)",
    args: [name],
  });
  expect(Number(rs.rows[0]!.n)).toBe(name === "posts" ? 1 : 0);
  if (name !== "posts" && !name.startsWith("_")) expect(await tableExists(app, name)).toBe(false);
};

/** badCreate is a create that must answer 400 VALIDATION naming `field`, and write nothing. */
function badCreate(name: string, body: Record<string, unknown>, field: string): Scenario {
  return {
    name: `create refuses ${name}`,
    method: "POST",
    url: "/api/collections",
    body,
    expectedStatus: 400,
    expectedContent: ['"code":"VALIDATION"', `"${field}":{"code":`],
    after: notCreated(String(body.name ?? "")),
  };
}

describe("create", () => {
  runScenarios(
    () => t,
    [
      {
        name: "with schema",
        method: "POST",
        url: "/api/collections",
        body: {
          name: "posts",
          type: "base",
          schema: [
            { name: "title", type: "text", required: true },
            { name: "status", type: "select", options: { values: ["draft", "published"] } },
          ],
        },
        expectedStatus: 200,
        expectedContent: [
          '"name":"posts"',
          '"type":"base"',
          '"name":"title","type":"text","required":true',
          '"values":["draft","published"]',
          '"triggers":[]',
          '"created":"',
          '"updated":"',
        ],
        after: async (app, body) => {
          expect(body.id).toMatch(/^[0-9a-f]{16}$/);
          expect(await tableExists(app, "posts")).toBe(true);
          expect(await columnsOf(app, "posts")).toEqual(["id", "created", "updated", "title", "status"]);
        },
      },
      {
        name: "with fields (same meaning as schema)",
        method: "POST",
        url: "/api/collections",
        body: {
          name: "notes",
          fields: [
            { name: "body", type: "editor" },
            { name: "pinned", type: "bool" },
          ],
        },
        expectedStatus: 200,
        expectedContent: [
          '"name":"body","type":"editor","required":false,"options":{}},{"id":"',
          '"name":"pinned","type":"bool"',
        ],
        after: async (app) =>
          expect(await columnsOf(app, "notes")).toEqual(["id", "created", "updated", "body", "pinned"]),
      },
      {
        name: "with options as an object",
        method: "POST",
        url: "/api/collections",
        body: {
          name: "orders",
          schema: [{ name: "total", type: "number" }],
          options: { triggers: [{ action: "create", url: hook, headers: { "X-Source": "hookd" } }] },
        },
        expectedStatus: 200,
        expectedContent: [
          '"triggers":[{"action":"create","url":"https://example.com/hook","method":"POST","headers":{"X-Source":"hookd"},"jwtEnabled":false,"timeoutMs":15000,"active":true,"id":"',
          '"paused":false',
        ],
        after: async (app, body) => {
          const triggers = await app.deps.db.execute({
            sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'orders'",
          });
          expect(triggers.rows.map((r) => String(r.name))).toEqual([`_capture_${body.id}_create`]);
        },
      },
      {
        name: "with options as a JSON string",
        method: "POST",
        url: "/api/collections",
        body: {
          name: "events",
          schema: [{ name: "data", type: "json" }],
          options: JSON.stringify({ triggers: [{ action: "update", url: hook, method: "put", retryLimit: 3 }] }),
        },
        expectedStatus: 200,
        expectedContent: ['"action":"update"', '"method":"PUT"', '"retryLimit":3'],
      },
      {
        name: "with no fields at all",
        method: "POST",
        url: "/api/collections",
        body: { name: "empty" },
        expectedStatus: 200,
        expectedContent: ['"schema":[]'],
        after: async (app) => expect(await columnsOf(app, "empty")).toEqual(["id", "created", "updated"]),
      },
      {
        name: "every field type",
        method: "POST",
        url: "/api/collections",
        body: {
          name: "everything",
          schema: ["text", "email", "number", "bool", "date", "datetime", "url", "editor", "json", "relation"]
            .map((type) => ({ name: `f_${type}`, type }))
            .concat([{ name: "f_select", type: "select", options: { values: ["a"] } } as never]),
        },
        expectedStatus: 200,
        after: async (app) => expect(await columnsOf(app, "everything")).toHaveLength(14),
      },
      {
        name: "a 63-character name (the longest allowed)",
        method: "POST",
        url: "/api/collections",
        body: { name: `a${"b".repeat(62)}` },
        expectedStatus: 200,
      },
      {
        name: "SQL keywords as names are quoted",
        method: "POST",
        url: "/api/collections",
        body: {
          name: "select",
          schema: [
            { name: "from", type: "text" },
            { name: "where", type: "number" },
          ],
        },
        expectedStatus: 200,
        after: async (app) => {
          const rec = await send(app, {
            method: "POST",
            url: "/api/collections/select/records",
            body: { from: "a", where: 1 },
          });
          expect(rec.status).toBe(200);
          expect(rec.json.from).toBe("a");
        },
      },
    ],
  );
});

describe("create refuses invalid names", () => {
  runScenarios(
    () => t,
    [
      badCreate("a missing name", { schema: [] }, "name"),
      badCreate("a name that is not a string", { name: 12 }, "name"),
      badCreate("an empty name", { name: "" }, "name"),
      badCreate("a name starting with a digit", { name: "1posts" }, "name"),
      badCreate("a name with a dash", { name: "my-posts" }, "name"),
      badCreate("a name with a space", { name: "my posts" }, "name"),
      badCreate("a name with a quote", { name: 'po"sts' }, "name"),
      badCreate("a 64-character name", { name: `a${"b".repeat(63)}` }, "name"),
      badCreate("a name starting with _", { name: "_private" }, "name"),
      badCreate("hookd's own table name", { name: "_settings" }, "name"),
      badCreate("a name starting with sqlite_", { name: "sqlite_stuff" }, "name"),
      badCreate("a name starting with SQLITE_ in capitals", { name: "SQLITE_stuff" }, "name"),
      badCreate("a non-base collection type", { name: "users", type: "auth" }, "type"),
      badCreate("a field named id", { name: "f1", schema: [{ name: "id", type: "text" }] }, "schema.0.name"),
      badCreate(
        "a field named created",
        { name: "f2", schema: [{ name: "created", type: "datetime" }] },
        "schema.0.name",
      ),
      badCreate(
        "a field named Updated",
        {
          name: "f3",
          schema: [
            { name: "title", type: "text" },
            { name: "Updated", type: "text" },
          ],
        },
        "schema.1.name",
      ),
      badCreate("a field named rowid", { name: "f11", schema: [{ name: "rowid", type: "text" }] }, "schema.0.name"),
      badCreate("a field named OID", { name: "f12", schema: [{ name: "OID", type: "number" }] }, "schema.0.name"),
      badCreate(
        "a field name starting with _",
        { name: "f4", schema: [{ name: "_x", type: "text" }] },
        "schema.0.name",
      ),
      badCreate("a field name with a dash", { name: "f5", schema: [{ name: "a-b", type: "text" }] }, "schema.0.name"),
      badCreate(
        "duplicate field names",
        {
          name: "f6",
          schema: [
            { name: "title", type: "text" },
            { name: "title", type: "number" },
          ],
        },
        "schema.1.name",
      ),
      badCreate(
        "duplicate field names differing in case",
        {
          name: "f7",
          fields: [
            { name: "title", type: "text" },
            { name: "Title", type: "text" },
          ],
        },
        "fields.1.name",
      ),
      badCreate("an unknown field type", { name: "f8", schema: [{ name: "title", type: "string" }] }, "schema.0.type"),
      badCreate("a field without a type", { name: "f9", schema: [{ name: "title" }] }, "schema.0.type"),
      badCreate(
        "required that is not a boolean",
        { name: "f10", schema: [{ name: "title", type: "text", required: "yes" }] },
        "schema.0.required",
      ),
      badCreate(
        "a select without values",
        { name: "f11", schema: [{ name: "status", type: "select" }] },
        "schema.0.options.values",
      ),
      badCreate(
        "a select with an empty values list",
        { name: "f12", schema: [{ name: "status", type: "select", options: { values: [] } }] },
        "schema.0.options.values",
      ),
      badCreate(
        "a select with non-string values",
        { name: "f13", schema: [{ name: "status", type: "select", options: { values: [1, 2] } }] },
        "schema.0.options.values",
      ),
      badCreate("schema that is not a list", { name: "f14", schema: "title:text" }, "schema"),
      badCreate(
        "more than 1000 fields",
        { name: "f15", schema: Array.from({ length: 1001 }, (_, i) => ({ name: `f${i}`, type: "text" })) },
        "schema",
      ),
    ],
  );
});

describe("create refuses invalid triggers", () => {
  const trig = (over: Record<string, unknown>) => ({ action: "create", url: hook, ...over });
  runScenarios(
    () => t,
    [
      badCreate("an unknown action", { name: "t1", triggers: [trig({ action: "upsert" })] }, "triggers.0.action"),
      badCreate("a missing url", { name: "t2", triggers: [{ action: "create" }] }, "triggers.0.url"),
      badCreate("an ftp url", { name: "t3", triggers: [trig({ url: "ftp://example.com/x" })] }, "triggers.0.url"),
      badCreate("a relative url", { name: "t4", triggers: [trig({ url: "/hook" })] }, "triggers.0.url"),
      badCreate(
        "a javascript: url",
        { name: "t5", options: { triggers: [trig({ url: "javascript:alert(1)" })] } },
        "options.triggers.0.url",
      ),
      badCreate("retryLimit 0", { name: "t6", triggers: [trig({ retryLimit: 0 })] }, "triggers.0.retryLimit"),
      badCreate("retryLimit 101", { name: "t7", triggers: [trig({ retryLimit: 101 })] }, "triggers.0.retryLimit"),
      badCreate(
        "a fractional retryLimit",
        { name: "t8", triggers: [trig({ retryLimit: 2.5 })] },
        "triggers.0.retryLimit",
      ),
      badCreate(
        "a retryLimit as a string",
        { name: "t9", triggers: [trig({ retryLimit: "5" })] },
        "triggers.0.retryLimit",
      ),
      badCreate(
        "a header name with a space",
        { name: "t10", triggers: [trig({ headers: { "X Bad": "v" } })] },
        "triggers.0.headers.X Bad",
      ),
      badCreate(
        "a header value with a line break",
        { name: "t11", triggers: [trig({ headers: { "X-Ok": "a\r\nInjected: yes" } })] },
        "triggers.0.headers.X-Ok",
      ),
      badCreate(
        "a header value that is a number",
        { name: "t12", triggers: [trig({ headers: { "X-Ok": 1 } })] },
        "triggers.0.headers.X-Ok",
      ),
      badCreate("headers as a list", { name: "t13", triggers: [trig({ headers: ["X-Ok: 1"] })] }, "triggers.0.headers"),
      badCreate("an unknown method", { name: "t14", triggers: [trig({ method: "FETCH" })] }, "triggers.0.method"),
      badCreate("a timeout under 100 ms", { name: "t15", triggers: [trig({ timeoutMs: 5 })] }, "triggers.0.timeoutMs"),
      badCreate(
        "jwtEnabled that is not a boolean",
        { name: "t16", triggers: [trig({ jwtEnabled: "yes" })] },
        "triggers.0.jwtEnabled",
      ),
      badCreate("triggers that are not a list", { name: "t17", triggers: { action: "create", url: hook } }, "triggers"),
      badCreate("options as invalid JSON text", { name: "t18", options: "{triggers:" }, "options"),
      badCreate("options as a JSON list", { name: "t19", options: "[]" }, "options"),
      badCreate("options as a number", { name: "t20", options: 5 }, "options"),
      badCreate(
        "more than 100 triggers",
        { name: "t21", triggers: Array.from({ length: 101 }, () => trig({})) },
        "triggers",
      ),
    ],
  );
});

describe("create refuses unreadable requests", () => {
  runScenarios(
    () => t,
    [
      {
        name: "duplicate name is a 409",
        method: "POST",
        url: "/api/collections",
        body: { name: "posts" },
        expectedStatus: 409,
        expectedContent: ['"code":"CONFLICT"', "posts"],
        after: notCreated("posts"),
      },
      {
        name: "duplicate name in another case is a 409",
        method: "POST",
        url: "/api/collections",
        body: { name: "POSTS" },
        expectedStatus: 409,
        expectedContent: ['"code":"CONFLICT"'],
        after: notCreated("posts"),
      },
      {
        name: "a name taken by an index or table outside the catalogue is a 409",
        method: "POST",
        url: "/api/collections",
        before: (app) => app.deps.db.execute("CREATE TABLE legacy (x TEXT)"),
        body: { name: "legacy" },
        expectedStatus: 409,
        expectedContent: ['"code":"CONFLICT"'],
        after: async (app) => expect(await columnsOf(app, "legacy")).toEqual(["x"]),
      },
      {
        name: "malformed JSON",
        method: "POST",
        url: "/api/collections",
        body: '{"name": "broken",',
        expectedStatus: 400,
        expectedContent: ['"code":"BAD_REQUEST"', "not valid JSON"],
        after: notCreated("broken"),
      },
      {
        name: "an empty body",
        method: "POST",
        url: "/api/collections",
        body: "",
        expectedStatus: 400,
        expectedContent: ['"code":"BAD_REQUEST"'],
      },
      {
        name: "a JSON list",
        method: "POST",
        url: "/api/collections",
        body: [{ name: "listed" }],
        expectedStatus: 400,
        expectedContent: ['"code":"VALIDATION"'],
        after: notCreated("listed"),
      },
      {
        name: "JSON null",
        method: "POST",
        url: "/api/collections",
        body: "null",
        expectedStatus: 400,
        expectedContent: ['"code":"VALIDATION"'],
      },
      {
        name: "a text/plain body is a 415",
        method: "POST",
        url: "/api/collections",
        headers: { ...ADMIN, "content-type": "text/plain" },
        body: JSON.stringify({ name: "plain" }),
        expectedStatus: 415,
        expectedContent: ['"code":"UNSUPPORTED_MEDIA_TYPE"', "text/plain"],
        after: notCreated("plain"),
      },
      {
        name: "a form body is a 415",
        method: "POST",
        url: "/api/collections",
        headers: { ...ADMIN, "content-type": "application/x-www-form-urlencoded" },
        body: "name=form",
        expectedStatus: 415,
        after: notCreated("form"),
      },
      {
        name: "application/json with a charset is accepted",
        method: "POST",
        url: "/api/collections",
        headers: { ...ADMIN, "content-type": "application/json; charset=utf-8" },
        body: JSON.stringify({ name: "charset" }),
        expectedStatus: 200,
      },
      {
        name: "a body over 1 MiB is a 413",
        method: "POST",
        url: "/api/collections",
        body: { name: "huge", schema: [{ name: "title", type: "text", options: { pad: "x".repeat(1024 * 1024) } }] },
        expectedStatus: 413,
        expectedContent: ['"code":"PAYLOAD_TOO_LARGE"', '"status":413'],
        after: notCreated("huge"),
      },
      {
        name: "unknown route is a 404",
        method: "GET",
        url: "/api/collectionz",
        expectedStatus: 404,
        expectedContent: ['"code":"NOT_FOUND"'],
      },
      {
        name: "unknown nested route is a 404",
        method: "GET",
        url: "/api/collections/posts/records/a/b",
        expectedStatus: 404,
        expectedContent: ['"code":"NOT_FOUND"'],
      },
      {
        name: "PUT on the collection list is a 405",
        method: "PUT",
        url: "/api/collections",
        body: {},
        expectedStatus: 405,
        expectedContent: ['"code":"METHOD_NOT_ALLOWED"'],
      },
      {
        name: "POST on one collection is a 405",
        method: "POST",
        url: "/api/collections/posts",
        body: {},
        expectedStatus: 405,
        expectedContent: ['"code":"METHOD_NOT_ALLOWED"'],
      },
      {
        name: "PUT on a record is a 405",
        method: "PUT",
        url: "/api/collections/posts/records/abc",
        body: {},
        expectedStatus: 405,
      },
      { name: "a badly escaped path is a 404", method: "GET", url: "/api/collections/%E0%A4%A", expectedStatus: 404 },
    ],
  );
});

describe("list and get", () => {
  runScenarios(
    () => t,
    [
      {
        name: "list answers the page shape, oldest first",
        method: "GET",
        url: "/api/collections",
        expectedStatus: 200,
        after: async (app, body) => {
          expect(Object.keys(body).sort()).toEqual(["items", "page", "perPage", "totalItems", "totalPages"]);
          expect(body.page).toBe(1);
          expect(body.perPage).toBe(30);
          expect(body.totalItems).toBe(await countRows(app, "_collections"));
          expect(body.items[0].name).toBe("posts");
          expect(body.items[0].schema[0]).toEqual({
            id: expect.stringMatching(/^[0-9a-f]{16}$/),
            name: "title",
            type: "text",
            required: true,
            options: {},
          });
        },
      },
      {
        name: "list pages with page and perPage",
        method: "GET",
        url: "/api/collections?page=2&perPage=1",
        expectedStatus: 200,
        after: async (app, body) => {
          expect(body.page).toBe(2);
          expect(body.perPage).toBe(1);
          expect(body.totalPages).toBe(await countRows(app, "_collections"));
          expect(body.items.map((c: any) => c.name)).toEqual(["notes"]);
        },
      },
      {
        name: "list with perPage 0 is a 400",
        method: "GET",
        url: "/api/collections?perPage=0",
        expectedStatus: 400,
        expectedContent: ["perPage"],
      },
      {
        name: "list with a page that is not a number is a 400",
        method: "GET",
        url: "/api/collections?page=abc",
        expectedStatus: 400,
        expectedContent: ["page"],
      },
      {
        name: "get one",
        method: "GET",
        url: "/api/collections/orders",
        expectedStatus: 200,
        expectedContent: ['"name":"orders"', '"action":"create"'],
      },
      {
        name: "get an unknown collection is a 404",
        method: "GET",
        url: "/api/collections/nope",
        expectedStatus: 404,
        expectedContent: ['"code":"NOT_FOUND"', "nope"],
      },
    ],
  );
});

describe("update", () => {
  let ids: string[] = [];
  beforeAll(async () => {
    await t.request("POST", "/api/collections", {
      name: "articles",
      schema: [
        { name: "title", type: "text" },
        { name: "views", type: "number" },
        { name: "draft", type: "bool" },
      ],
    });
    ids = [];
    for (const [title, views, draft] of [
      ["a", 1, true],
      ["b", 2, false],
      ["c", 3, null],
    ] as const) {
      const r = await t.request("POST", "/api/collections/articles/records", { title, views, draft });
      ids.push(r.body.id);
    }
  });
  const titles = async (app: TestApp, name: string) =>
    (await app.deps.db.execute(`SELECT * FROM "${name}" ORDER BY rowid`)).rows.map((r) => ({ ...r }));

  runScenarios(
    () => t,
    [
      {
        name: "adding a field keeps every row's data",
        method: "PATCH",
        url: "/api/collections/articles",
        body: {
          schema: [
            { name: "title", type: "text" },
            { name: "views", type: "number" },
            { name: "draft", type: "bool" },
            { name: "tags", type: "json" },
          ],
        },
        expectedStatus: 200,
        expectedContent: ['"name":"tags","type":"json"'],
        after: async (app) => {
          const rows = await titles(app, "articles");
          expect(rows.map((r) => [r.id, r.title, r.views, r.draft, r.tags])).toEqual([
            [ids[0], "a", 1, 1, null],
            [ids[1], "b", 2, 0, null],
            [ids[2], "c", 3, null, null],
          ]);
          const rec = await send(app, { method: "GET", url: `/api/collections/articles/records/${ids[0]}` });
          expect(rec.json).toMatchObject({ title: "a", views: 1, draft: true, tags: null });
        },
      },
      {
        name: "removing a field drops its column and keeps the others",
        method: "PATCH",
        url: "/api/collections/articles",
        body: {
          fields: [
            { name: "title", type: "text" },
            { name: "draft", type: "bool" },
            { name: "tags", type: "json" },
          ],
        },
        expectedStatus: 200,
        notExpectedContent: ['"views"'],
        after: async (app) => {
          expect(await columnsOf(app, "articles")).toEqual(["id", "created", "updated", "title", "draft", "tags"]);
          expect((await titles(app, "articles")).map((r) => r.title)).toEqual(["a", "b", "c"]);
        },
      },
      {
        name: "renaming moves the table and keeps the records",
        method: "PATCH",
        url: "/api/collections/articles",
        body: { name: "stories" },
        expectedStatus: 200,
        expectedContent: ['"name":"stories"'],
        after: async (app) => {
          expect(await tableExists(app, "articles")).toBe(false);
          expect(await tableExists(app, "stories")).toBe(true);
          expect((await send(app, { method: "GET", url: "/api/collections/articles" })).status).toBe(404);
          const list = await send(app, { method: "GET", url: "/api/collections/stories/records?sort=title" });
          expect(list.json.items.map((r: any) => [r.title, r.collectionName])).toEqual([
            ["a", "stories"],
            ["b", "stories"],
            ["c", "stories"],
          ]);
        },
      },
      {
        name: "renaming to another case works",
        method: "PATCH",
        url: "/api/collections/stories",
        body: { name: "Stories" },
        expectedStatus: 200,
        after: async (app) => {
          expect(await tableExists(app, "Stories")).toBe(true);
          expect(await countRows(app, "Stories")).toBe(3);
        },
      },
      {
        name: "renaming onto a taken name is a 409",
        method: "PATCH",
        url: "/api/collections/Stories",
        body: { name: "posts" },
        expectedStatus: 409,
        expectedContent: ['"code":"CONFLICT"'],
        after: async (app) => expect(await countRows(app, "Stories")).toBe(3),
      },
      {
        name: "renaming to an invalid name is a 400",
        method: "PATCH",
        url: "/api/collections/Stories",
        body: { name: "_hidden" },
        expectedStatus: 400,
        expectedContent: ['"name":{'],
      },
      {
        name: "triggers are replaced (top level)",
        method: "PATCH",
        url: "/api/collections/Stories",
        body: {
          triggers: [
            { action: "update", url: hook },
            { action: "delete", url: hook, active: false },
          ],
        },
        expectedStatus: 200,
        expectedContent: ['"action":"update"', '"action":"delete"', '"active":false'],
        notExpectedContent: ['"action":"create"'],
        after: async (app, body) => {
          const rs = await app.deps.db.execute({
            sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'Stories'",
          });
          // The inactive delete trigger needs no capture trigger.
          expect(rs.rows.map((r) => String(r.name))).toEqual([`_capture_${body.id}_update`]);
        },
      },
      {
        name: "triggers are replaced (options as a JSON string)",
        method: "PATCH",
        url: "/api/collections/Stories",
        body: { options: JSON.stringify({ triggers: [{ action: "create", url: hook }] }) },
        expectedStatus: 200,
        expectedContent: ['"action":"create"'],
        notExpectedContent: ['"action":"update"'],
      },
      {
        name: "a bad field on update is a 400 and changes nothing",
        method: "PATCH",
        url: "/api/collections/Stories",
        body: {
          schema: [
            { name: "title", type: "text" },
            { name: "id", type: "text" },
          ],
        },
        expectedStatus: 400,
        expectedContent: ['"schema.1.name"'],
        after: async (app) =>
          expect(await columnsOf(app, "Stories")).toEqual(["id", "created", "updated", "title", "draft", "tags"]),
      },
      {
        name: "changing a field to a type with another column type is a 400 (a bool in a text column would read back wrong)",
        method: "PATCH",
        url: "/api/collections/Stories",
        body: {
          schema: [
            { name: "title", type: "bool" },
            { name: "draft", type: "bool" },
            { name: "tags", type: "json" },
          ],
        },
        expectedStatus: 400,
        expectedContent: ['"schema.0.type":{"code":"type_change"', "text and cannot become bool"],
        after: async (app) =>
          expect((await send(app, { method: "GET", url: "/api/collections/Stories" })).json.schema[0].type).toBe(
            "text",
          ),
      },
      {
        name: "changing a field between types stored alike (text → editor) is allowed and keeps the data",
        method: "PATCH",
        url: "/api/collections/Stories",
        body: {
          schema: [
            { name: "title", type: "editor" },
            { name: "draft", type: "bool" },
            { name: "tags", type: "json" },
          ],
        },
        expectedStatus: 200,
        expectedContent: ['"name":"title","type":"editor"'],
        after: async (app) =>
          expect(
            (await send(app, { method: "GET", url: "/api/collections/Stories/records?sort=title" })).json.items.map(
              (r: any) => r.title,
            ),
          ).toEqual(["a", "b", "c"]),
      },
      {
        name: "schema: null on update changes nothing",
        method: "PATCH",
        url: "/api/collections/Stories",
        body: { schema: null },
        expectedStatus: 200,
        after: async (app) => {
          expect(await columnsOf(app, "Stories")).toEqual(["id", "created", "updated", "title", "draft", "tags"]);
          expect(await countRows(app, "Stories")).toBe(3);
        },
      },
      {
        name: "update of an unknown collection is a 404",
        method: "PATCH",
        url: "/api/collections/nope",
        body: { name: "still_nope" },
        expectedStatus: 404,
      },
      {
        name: "update with malformed JSON is a 400",
        method: "PATCH",
        url: "/api/collections/Stories",
        body: "{",
        expectedStatus: 400,
      },
    ],
  );
});

describe("delete", () => {
  runScenarios(
    () => t,
    [
      {
        name: "delete drops the table and its capture triggers",
        method: "DELETE",
        url: "/api/collections/orders",
        expectedStatus: 204,
        after: async (app) => {
          const rs = await app.deps.db.execute(
            "SELECT type, name FROM sqlite_master WHERE tbl_name = 'orders' OR name = 'orders'",
          );
          expect(rs.rows).toHaveLength(0);
          const cat = await app.deps.db.execute("SELECT 1 FROM _collections WHERE name = 'orders'");
          expect(cat.rows).toHaveLength(0);
        },
      },
      { name: "get after delete is a 404", method: "GET", url: "/api/collections/orders", expectedStatus: 404 },
      {
        name: "delete again is a 404",
        method: "DELETE",
        url: "/api/collections/orders",
        expectedStatus: 404,
        expectedContent: ['"code":"NOT_FOUND"'],
      },
      {
        name: "the name can be used again",
        method: "POST",
        url: "/api/collections",
        body: { name: "orders" },
        expectedStatus: 200,
      },
    ],
  );
});

test("concurrent creates of one name: one wins, the others get 409", async () => {
  const results = await Promise.all(
    [1, 2, 3].map(() => t.request("POST", "/api/collections", { name: "race", schema: [{ name: "x", type: "text" }] })),
  );
  expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
  expect(await countRows(t, "_collections")).toBe((await t.request("GET", "/api/collections")).body.totalItems);
});

test("a renamed collection's triggers capture under the new name", async () => {
  expect(
    (
      await t.request("POST", "/api/collections", {
        name: "before_rename",
        schema: [{ name: "x", type: "text" }],
        triggers: [{ action: "create", url: hook }],
      })
    ).status,
  ).toBe(200);
  expect((await t.request("PATCH", "/api/collections/before_rename", { name: "after_rename" })).status).toBe(200);
  const rec = await t.request("POST", "/api/collections/after_rename/records", { x: "y" });
  expect(rec.status).toBe(200);
  const rs = await t.deps.db.execute({
    sql: "SELECT collection, payload FROM _webhook_logs WHERE record_id = ?",
    args: [rec.body.id],
  });
  expect(rs.rows).toHaveLength(1);
  expect(rs.rows[0]!.collection).toBe("after_rename");
  expect(JSON.parse(String(rs.rows[0]!.payload))).toMatchObject({
    collection: "after_rename",
    record: { collectionName: "after_rename", x: "y" },
  });
});

test("a wide collection (over SQLite's function-argument limit) with triggers captures every field", async () => {
  const schema = Array.from({ length: 130 }, (_, i) => ({
    name: `f${i}`,
    type: i % 3 === 0 ? "bool" : i % 3 === 1 ? "json" : "text",
  }));
  const created = await t.request("POST", "/api/collections", {
    name: "wide",
    schema,
    triggers: [{ action: "update", url: hook }],
  });
  expect(created.status).toBe(200);
  const rec = await t.request("POST", "/api/collections/wide/records", {
    f0: true,
    f1: { a: 1 },
    f2: "x",
    f129: false,
  });
  expect(rec.status).toBe(200);
  const upd = await t.request("PATCH", `/api/collections/wide/records/${rec.body.id}`, { f0: false, f127: [1, 2] });
  expect(upd.status).toBe(200);
  const rs = await t.deps.db.execute("SELECT payload FROM _webhook_logs WHERE collection = 'wide'");
  expect(rs.rows).toHaveLength(1);
  const payload = JSON.parse(String(rs.rows[0]!.payload));
  expect(Object.keys(payload.record)).toHaveLength(135);
  expect(payload.record).toMatchObject({ f0: false, f1: { a: 1 }, f2: "x", f127: [1, 2], f129: false, f3: null });
  expect(payload.oldRecord).toMatchObject({ f0: true, f127: null });
});
