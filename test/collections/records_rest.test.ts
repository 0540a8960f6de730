// Records over REST: every field type with good and bad values, create/list/get/update/
// delete, sorting and paging, the bulk calls, and the collection as a real SQL table.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { makeTestApp, type TestApp } from "../support/test_app";
import { FIELD_CASES, TYPED_SCHEMA, label } from "../support/field_cases";
import { ADMIN, countRows, runScenarios, send, type Scenario } from "../support/scenario";

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
  const typed = await t.request("POST", "/api/collections", { name: "typed", schema: TYPED_SCHEMA });
  expect(typed.status).toBe(200);
  const posts = await t.request("POST", "/api/collections", {
    name: "posts",
    schema: [
      { name: "title", type: "text", required: true },
      { name: "status", type: "select", options: { values: ["draft", "published"] } },
      { name: "views", type: "number" },
    ],
  });
  expect(posts.status).toBe(200);
  const seed = await t.request("POST", "/api/collections/typed/records", {
    id: "seed",
    f_text: "seed",
    f_number: 7,
    f_bool: true,
    f_json: { keep: 1 },
  });
  expect(seed.status).toBe(200);
});
afterAll(() => t.deps.db.close());

describe("field types", () => {
  const scenarios: Scenario[] = [];
  for (const { field, valid, invalid } of FIELD_CASES) {
    for (const value of valid) {
      scenarios.push({
        name: `${field} accepts ${label(value)}`,
        method: "POST",
        url: "/api/collections/typed/records",
        body: { [field]: value },
        expectedStatus: 200,
        after: async (app, body) => {
          expect(body[field]).toEqual(value);
          const again = await send(app, { method: "GET", url: `/api/collections/typed/records/${body.id}` });
          expect(again.json[field]).toEqual(value);
        },
      });
      scenarios.push({
        name: `${field} update to ${label(value)}`,
        method: "PATCH",
        url: "/api/collections/typed/records/seed",
        body: { [field]: value },
        expectedStatus: 200,
        after: async (app) =>
          expect((await send(app, { method: "GET", url: "/api/collections/typed/records/seed" })).json[field]).toEqual(
            value,
          ),
      });
    }
    for (const value of invalid) {
      let rowsBefore = 0;
      let seedBefore: unknown;
      scenarios.push({
        name: `${field} refuses ${label(value)} on create`,
        method: "POST",
        url: "/api/collections/typed/records",
        before: async (app) => (rowsBefore = await countRows(app, "typed")),
        body: { f_text: "should not be written", [field]: value },
        expectedStatus: 400,
        expectedContent: ['"code":"VALIDATION"', `"data":{"${field}":{"code":`],
        after: async (app) => expect(await countRows(app, "typed")).toBe(rowsBefore),
      });
      scenarios.push({
        name: `${field} refuses ${label(value)} on update`,
        method: "PATCH",
        url: "/api/collections/typed/records/seed",
        before: async (app) =>
          (seedBefore = (await send(app, { method: "GET", url: "/api/collections/typed/records/seed" })).json),
        body: { f_text: "should not be written", [field]: value },
        expectedStatus: 400,
        expectedContent: [`"data":{"${field}":{"code":`],
        after: async (app) =>
          expect((await send(app, { method: "GET", url: "/api/collections/typed/records/seed" })).json).toEqual(
            seedBefore as object,
          ),
      });
    }
  }
  scenarios.push({
    name: "null clears any optional field",
    method: "PATCH",
    url: "/api/collections/typed/records/seed",
    body: Object.fromEntries(FIELD_CASES.map((c) => [c.field, null])),
    expectedStatus: 200,
    after: (_app, body) => {
      for (const c of FIELD_CASES) expect(body[c.field]).toBeNull();
    },
  });
  runScenarios(() => t, scenarios);
});

describe("create", () => {
  let rowsBefore = 0;
  const keepCount: Pick<Scenario, "before" | "after"> = {
    before: async (app) => (rowsBefore = await countRows(app, "posts")),
    after: async (app) => expect(await countRows(app, "posts")).toBe(rowsBefore),
  };
  runScenarios(
    () => t,
    [
      {
        name: "answers the record with system fields",
        method: "POST",
        url: "/api/collections/posts/records",
        body: { title: "first", status: "draft", views: 1 },
        expectedStatus: 200,
        expectedContent: ['"collectionName":"posts"', '"title":"first"', '"status":"draft"', '"views":1'],
        after: (_app, body) => {
          expect(body.id).toMatch(/^[0-9a-f]{16}$/);
          expect(body.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
          expect(body.updated).toBe(body.created);
          expect(body.collectionId).toMatch(/^[0-9a-f]{16}$/);
        },
      },
      {
        name: "with a chosen id",
        method: "POST",
        url: "/api/collections/posts/records",
        body: { id: "my-id_1", title: "chosen" },
        expectedStatus: 200,
        expectedContent: ['"id":"my-id_1"'],
      },
      {
        name: "a duplicate id is a 409",
        method: "POST",
        url: "/api/collections/posts/records",
        body: { id: "my-id_1", title: "again" },
        expectedStatus: 409,
        expectedContent: ['"code":"CONFLICT"'],
        ...keepCount,
      },
      {
        name: "an invalid id is a 400",
        method: "POST",
        url: "/api/collections/posts/records",
        body: { id: "has space", title: "x" },
        expectedStatus: 400,
        expectedContent: ['"id":{'],
        ...keepCount,
      },
      {
        name: "a missing required field is a 400 naming it",
        method: "POST",
        url: "/api/collections/posts/records",
        body: { status: "draft" },
        expectedStatus: 400,
        expectedContent: ['"title":{"code":"required"'],
        ...keepCount,
      },
      {
        name: "a required text cannot be empty",
        method: "POST",
        url: "/api/collections/posts/records",
        body: { title: "" },
        expectedStatus: 400,
        expectedContent: ['"title":{'],
        ...keepCount,
      },
      {
        name: "a required field cannot be null",
        method: "POST",
        url: "/api/collections/posts/records",
        body: { title: null },
        expectedStatus: 400,
        expectedContent: ['"title":{"code":"required"'],
        ...keepCount,
      },
      {
        name: "an unknown field is a 400 naming it",
        method: "POST",
        url: "/api/collections/posts/records",
        body: { title: "x", colour: "red" },
        expectedStatus: 400,
        expectedContent: ['"colour":{"code":"unknown_field"'],
        ...keepCount,
      },
      {
        name: "keys clients echo back are ignored",
        method: "POST",
        url: "/api/collections/posts/records",
        body: {
          title: "echo",
          collectionId: "zzz",
          collectionName: "other",
          expand: {},
          created: "2000-01-01T00:00:00.000Z",
          updated: "2000-01-01T00:00:00.000Z",
        },
        expectedStatus: 200,
        notExpectedContent: ["2000-01-01", '"zzz"', '"other"'],
      },
      {
        name: "a JSON list is a 400",
        method: "POST",
        url: "/api/collections/posts/records",
        body: [{ title: "x" }],
        expectedStatus: 400,
        ...keepCount,
      },
      {
        name: "a JSON string is a 400",
        method: "POST",
        url: "/api/collections/posts/records",
        body: '"title"',
        expectedStatus: 400,
        ...keepCount,
      },
      {
        name: "malformed JSON is a 400",
        method: "POST",
        url: "/api/collections/posts/records",
        body: '{"title": "x"',
        expectedStatus: 400,
        expectedContent: ['"code":"BAD_REQUEST"'],
        ...keepCount,
      },
      {
        name: "a text/plain body is a 415",
        method: "POST",
        url: "/api/collections/posts/records",
        headers: { ...ADMIN, "content-type": "text/plain" },
        body: '{"title":"x"}',
        expectedStatus: 415,
        ...keepCount,
      },
      {
        name: "no content type is a 415",
        method: "POST",
        url: "/api/collections/posts/records",
        headers: { ...ADMIN, "content-type": "" },
        body: '{"title":"x"}',
        expectedStatus: 415,
        ...keepCount,
      },
      {
        name: "a body over 1 MiB is a 413",
        method: "POST",
        url: "/api/collections/posts/records",
        body: { title: "x".repeat(1024 * 1024 + 1) },
        expectedStatus: 413,
        ...keepCount,
      },
      {
        name: "a record of an unknown collection is a 404",
        method: "POST",
        url: "/api/collections/nope/records",
        body: { title: "x" },
        expectedStatus: 404,
        expectedContent: ["nope"],
      },
    ],
  );
});

describe("list, get, update, delete", () => {
  beforeAll(async () => {
    await t.deps.db.execute("DELETE FROM posts");
    // Distinct created times, inserted out of title order: c, a, d, b.
    const rows = [
      ["c", "published", 3, "2026-01-01T00:00:01.000Z"],
      ["a", "draft", 1, "2026-01-01T00:00:02.000Z"],
      ["d", "draft", 4, "2026-01-01T00:00:03.000Z"],
      ["b", "published", 2, "2026-01-01T00:00:04.000Z"],
    ] as const;
    for (const [title, status, views, created] of rows) {
      await t.deps.db.execute({
        sql: "INSERT INTO posts (id, title, status, views, created, updated) VALUES (?, ?, ?, ?, ?, ?)",
        args: [`id_${title}`, title, status, views, created, created],
      });
    }
  });
  const order = (expected: string[]) => (_app: TestApp, body: any) =>
    expect(body.items.map((r: any) => r.title)).toEqual(expected);

  runScenarios(
    () => t,
    [
      {
        name: "newest first by default, in the page shape",
        method: "GET",
        url: "/api/collections/posts/records",
        expectedStatus: 200,
        expectedContent: ['"page":1', '"perPage":30', '"totalItems":4', '"totalPages":1'],
        after: order(["b", "d", "a", "c"]),
      },
      {
        name: "sort -created",
        method: "GET",
        url: "/api/collections/posts/records?sort=-created",
        expectedStatus: 200,
        after: order(["b", "d", "a", "c"]),
      },
      {
        name: "sort created",
        method: "GET",
        url: "/api/collections/posts/records?sort=created",
        expectedStatus: 200,
        after: order(["c", "a", "d", "b"]),
      },
      {
        name: "sort title",
        method: "GET",
        url: "/api/collections/posts/records?sort=title",
        expectedStatus: 200,
        after: order(["a", "b", "c", "d"]),
      },
      {
        name: "sort +title",
        method: "GET",
        url: "/api/collections/posts/records?sort=%2Btitle",
        expectedStatus: 200,
        after: order(["a", "b", "c", "d"]),
      },
      {
        name: "sort -views",
        method: "GET",
        url: "/api/collections/posts/records?sort=-views",
        expectedStatus: 200,
        after: order(["d", "c", "b", "a"]),
      },
      {
        name: "sort on several terms",
        method: "GET",
        url: "/api/collections/posts/records?sort=status,-title",
        expectedStatus: 200,
        after: order(["d", "a", "c", "b"]),
      },
      {
        name: "sort with spaces around terms",
        method: "GET",
        url: "/api/collections/posts/records?sort=-status,%20title",
        expectedStatus: 200,
        after: order(["b", "c", "a", "d"]),
      },
      {
        name: "sort on an unknown field is a 400",
        method: "GET",
        url: "/api/collections/posts/records?sort=-colour",
        expectedStatus: 400,
        expectedContent: ["colour"],
      },
      {
        name: "more than 32 sort terms is a 400",
        method: "GET",
        url: `/api/collections/posts/records?sort=${"title,".repeat(33)}`,
        expectedStatus: 400,
        expectedContent: ["at most 32 terms"],
      },
      {
        name: "sort with SQL in it is a 400",
        method: "GET",
        url: `/api/collections/posts/records?sort=${encodeURIComponent("title; DROP TABLE posts")}`,
        expectedStatus: 400,
        after: async (app) => expect(await countRows(app, "posts")).toBe(4),
      },
      {
        name: "page and perPage",
        method: "GET",
        url: "/api/collections/posts/records?page=2&perPage=3",
        expectedStatus: 200,
        expectedContent: ['"page":2', '"perPage":3', '"totalItems":4', '"totalPages":2'],
        after: order(["c"]),
      },
      {
        name: "a page past the end is empty",
        method: "GET",
        url: "/api/collections/posts/records?page=9",
        expectedStatus: 200,
        expectedContent: ['"items":[]'],
      },
      {
        name: "perPage is capped at 500",
        method: "GET",
        url: "/api/collections/posts/records?perPage=100000",
        expectedStatus: 200,
        expectedContent: ['"perPage":500'],
      },
      {
        name: "perPage 0 is a 400",
        method: "GET",
        url: "/api/collections/posts/records?perPage=0",
        expectedStatus: 400,
      },
      { name: "page -1 is a 400", method: "GET", url: "/api/collections/posts/records?page=-1", expectedStatus: 400 },
      {
        name: "filter, fields, skipTotal and (ignored) expand are read",
        method: "GET",
        url: "/api/collections/posts/records?filter=(title%3D'a')&expand=&fields=title&skipTotal=1",
        expectedStatus: 200,
        after: (_t, body) => {
          expect(body).toMatchObject({ totalItems: -1, totalPages: -1 });
          for (const item of body.items) expect(item).toEqual({ title: "a" });
        },
      },
      {
        name: "an unknown query parameter is a 400 naming it",
        method: "GET",
        url: "/api/collections/posts/records?filtre=(title%3D'a')",
        expectedStatus: 400,
        expectedContent: ['"code":"VALIDATION"', '"filtre":{"code":"unknown_parameter"'],
      },
      {
        name: "list of an unknown collection is a 404",
        method: "GET",
        url: "/api/collections/nope/records",
        expectedStatus: 404,
      },
      {
        name: "get one",
        method: "GET",
        url: "/api/collections/posts/records/id_a",
        expectedStatus: 200,
        expectedContent: ['"id":"id_a"', '"title":"a"', '"views":1'],
      },
      {
        name: "get an unknown record is a 404",
        method: "GET",
        url: "/api/collections/posts/records/nope",
        expectedStatus: 404,
        expectedContent: ['"code":"NOT_FOUND"', "nope"],
      },
      {
        name: "update is partial",
        method: "PATCH",
        url: "/api/collections/posts/records/id_a",
        body: { views: 10 },
        expectedStatus: 200,
        expectedContent: ['"title":"a"', '"status":"draft"', '"views":10', '"created":"2026-01-01T00:00:02.000Z"'],
        after: (_app, body) => expect(body.updated > body.created).toBe(true),
      },
      {
        name: "update ignores an id in the body",
        method: "PATCH",
        url: "/api/collections/posts/records/id_a",
        body: { id: "other", views: 11 },
        expectedStatus: 200,
        expectedContent: ['"id":"id_a"', '"views":11'],
      },
      {
        name: "update cannot null a required field",
        method: "PATCH",
        url: "/api/collections/posts/records/id_a",
        body: { title: null },
        expectedStatus: 400,
        expectedContent: ['"title":{"code":"required"'],
      },
      {
        name: "update of an unknown record is a 404",
        method: "PATCH",
        url: "/api/collections/posts/records/nope",
        body: { views: 1 },
        expectedStatus: 404,
      },
      {
        name: "update with an unknown field is a 400",
        method: "PATCH",
        url: "/api/collections/posts/records/id_a",
        body: { colour: "red" },
        expectedStatus: 400,
        expectedContent: ['"colour":{'],
      },
      {
        name: "delete",
        method: "DELETE",
        url: "/api/collections/posts/records/id_d",
        expectedStatus: 204,
        after: async (app) => expect(await countRows(app, "posts")).toBe(3),
      },
      {
        name: "get after delete is a 404",
        method: "GET",
        url: "/api/collections/posts/records/id_d",
        expectedStatus: 404,
      },
      {
        name: "delete again is a 404",
        method: "DELETE",
        url: "/api/collections/posts/records/id_d",
        expectedStatus: 404,
      },
      {
        name: "delete in an unknown collection is a 404",
        method: "DELETE",
        url: "/api/collections/nope/records/id_a",
        expectedStatus: 404,
      },
    ],
  );
});

describe("bulk update and delete", () => {
  const views = async (app: TestApp) =>
    Object.fromEntries(
      (await app.deps.db.execute("SELECT id, views FROM posts ORDER BY id")).rows.map((r) => [String(r.id), r.views]),
    );
  let before: Awaited<ReturnType<typeof views>> = {};
  const unchanged: Pick<Scenario, "before" | "after"> = {
    before: async (app) => (before = await views(app)),
    after: async (app) => expect(await views(app)).toEqual(before),
  };
  runScenarios(
    () => t,
    [
      {
        name: "PATCH bulk updates the listed records and answers the ids that existed",
        method: "PATCH",
        url: "/api/collections/posts/records/bulk",
        body: { ids: ["id_a", "id_b", "missing"], data: { views: 99, status: "published" } },
        expectedStatus: 200,
        after: async (app, body) => {
          expect(body).toEqual({ updated: ["id_a", "id_b"] });
          expect(await views(app)).toMatchObject({ id_a: 99, id_b: 99, id_c: 3 });
        },
      },
      {
        name: "PATCH bulk with an invalid value writes nothing",
        method: "PATCH",
        url: "/api/collections/posts/records/bulk",
        body: { ids: ["id_a", "id_c"], data: { views: "many" } },
        expectedStatus: 400,
        expectedContent: ['"views":{'],
        ...unchanged,
      },
      {
        name: "PATCH bulk with an unknown field writes nothing",
        method: "PATCH",
        url: "/api/collections/posts/records/bulk",
        body: { ids: ["id_a"], data: { views: 1, colour: "red" } },
        expectedStatus: 400,
        expectedContent: ['"colour":{'],
        ...unchanged,
      },
      {
        name: "PATCH bulk nulling a required field writes nothing",
        method: "PATCH",
        url: "/api/collections/posts/records/bulk",
        body: { ids: ["id_a"], data: { title: null } },
        expectedStatus: 400,
        ...unchanged,
      },
      {
        name: "PATCH bulk without ids is a 400",
        method: "PATCH",
        url: "/api/collections/posts/records/bulk",
        body: { data: { views: 1 } },
        expectedStatus: 400,
        expectedContent: ['"ids":{'],
        ...unchanged,
      },
      {
        name: "PATCH bulk with ids that are not strings is a 400",
        method: "PATCH",
        url: "/api/collections/posts/records/bulk",
        body: { ids: [1, 2], data: { views: 1 } },
        expectedStatus: 400,
        ...unchanged,
      },
      {
        name: "PATCH bulk without data is a 400",
        method: "PATCH",
        url: "/api/collections/posts/records/bulk",
        body: { ids: ["id_a"] },
        expectedStatus: 400,
        expectedContent: ['"data":{'],
        ...unchanged,
      },
      {
        name: "PATCH bulk with no ids updates nothing",
        method: "PATCH",
        url: "/api/collections/posts/records/bulk",
        body: { ids: [], data: { views: 1 } },
        expectedStatus: 200,
        expectedContent: ['{"updated":[]}'],
        ...unchanged,
      },
      {
        name: "PATCH bulk on an unknown collection is a 404",
        method: "PATCH",
        url: "/api/collections/nope/records/bulk",
        body: { ids: ["a"], data: {} },
        expectedStatus: 404,
      },
      {
        name: "DELETE bulk without a body is a 400",
        method: "DELETE",
        url: "/api/collections/posts/records/bulk",
        expectedStatus: 400,
        ...unchanged,
      },
      {
        name: "DELETE bulk with ids that are not a list is a 400",
        method: "DELETE",
        url: "/api/collections/posts/records/bulk",
        body: { ids: "id_a" },
        expectedStatus: 400,
        ...unchanged,
      },
      {
        name: "DELETE bulk with malformed JSON is a 400",
        method: "DELETE",
        url: "/api/collections/posts/records/bulk",
        body: "{ids:",
        expectedStatus: 400,
        ...unchanged,
      },
      {
        name: "DELETE bulk deletes the listed records and answers the ids that existed",
        method: "DELETE",
        url: "/api/collections/posts/records/bulk",
        body: { ids: ["id_a", "missing", "id_c"] },
        expectedStatus: 200,
        after: async (app, body) => {
          expect(body).toEqual({ deleted: ["id_a", "id_c"] });
          expect(Object.keys(await views(app))).toEqual(["id_b"]);
        },
      },
      {
        name: "GET records/bulk reads a record called bulk",
        method: "GET",
        url: "/api/collections/posts/records/bulk",
        expectedStatus: 404,
        expectedContent: ['record \\"bulk\\"'],
      },
    ],
  );
});

describe("each collection is a real table", () => {
  test("INSERT through SQL uses the defaults for id, created and updated, and the API reads it", async () => {
    await t.deps.db.execute("INSERT INTO posts (title, views) VALUES ('from sql', 5)");
    const rs = await t.deps.db.execute("SELECT id, created, updated FROM posts WHERE title = 'from sql'");
    const row = rs.rows[0]!;
    expect(String(row.id)).toMatch(/^[0-9a-f]{16}$/);
    expect(String(row.created)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(Math.abs(Date.parse(String(row.created)) - Date.now())).toBeLessThan(60_000);
    expect(row.updated).toBe(row.created);

    const rec = await t.request("GET", `/api/collections/posts/records/${row.id}`);
    expect(rec.status).toBe(200);
    expect(rec.body).toMatchObject({ id: row.id, title: "from sql", views: 5, status: null, created: row.created });
    const list = await t.request("GET", "/api/collections/posts/records?sort=-created&perPage=1");
    expect(list.body.items[0].id).toBe(row.id);
  });

  test("values written by the API are plain SQL values", async () => {
    const rec = await t.request("POST", "/api/collections/typed/records", {
      f_bool: true,
      f_json: { a: 1 },
      f_number: 2.5,
      f_text: "t",
    });
    const rs = await t.deps.db.execute({
      sql: "SELECT f_bool, f_json, f_number, f_text FROM typed WHERE id = ?",
      args: [rec.body.id],
    });
    expect({ ...rs.rows[0] } as Record<string, unknown>).toEqual({
      f_bool: 1,
      f_json: '{"a":1}',
      f_number: 2.5,
      f_text: "t",
    });
  });

  test("SQL-written values that the API would refuse are still readable", async () => {
    await t.deps.db.execute(
      "INSERT INTO typed (id, f_json, f_number, f_bool) VALUES ('raw', 'not json', 12345678901234567890, 1)",
    );
    const rec = await t.request("GET", "/api/collections/typed/records/raw");
    expect(rec.status).toBe(200);
    expect(rec.body).toMatchObject({ f_json: "not json", f_bool: true, f_number: 12345678901234567000 });
    expect((await t.request("GET", "/api/collections/typed/records?perPage=500")).status).toBe(200);
  });
});
