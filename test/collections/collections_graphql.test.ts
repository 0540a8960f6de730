// Collections over GraphQL: the same operations and the same refusals as REST, with the
// error code in extensions.code.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { makeTestApp, TOKEN, type TestApp } from "../support/test_app";
import { ADMIN, columnsOf, countRows, runScenarios, send, tableExists, type Scenario } from "../support/scenario";

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(() => t.deps.db.close());

const hook = "https://example.com/hook";
const FIELDS =
  "id name type schema { name type required options } triggers { action url method headers retryLimit jwtEnabled timeoutMs active } options created updated";

/** gql is a GraphQL POST scenario. */
function gql(
  name: string,
  query: string,
  variables: Record<string, unknown> | undefined,
  rest: Omit<Scenario, "name" | "method" | "url" | "body">,
): Scenario {
  return { name, method: "POST", url: "/graphql", body: { query, variables }, ...rest };
}

const CREATE = `mutation($input: CollectionInput!) { createCollection(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($name: String!, $input: CollectionInput!) { updateCollection(name: $name, input: $input) { ${FIELDS} } }`;

/** refused is a GraphQL error with the code, naming `field` for validation errors, and nothing written. */
function refused(
  name: string,
  query: string,
  variables: Record<string, unknown>,
  code: string,
  field?: string,
  after?: Scenario["after"],
): Scenario {
  return gql(name, query, variables, {
    expectedStatus: 200,
    expectedContent: ['"data":null', `"code":"${code}"`, ...(field ? [`"data":{"${field}":{"code":`] : [])],
    after: async (app, body) => {
      expect(body.errors).toHaveLength(1);
      expect(body.errors[0].extensions.code).toBe(code);
      await after?.(app, body);
    },
  });
}

const collectionCount = (n: number) => async (app: TestApp) => expect(await countRows(app, "_collections")).toBe(n);

describe("create", () => {
  runScenarios(
    () => t,
    [
      gql(
        "with fields and triggers",
        CREATE,
        {
          input: {
            name: "posts",
            fields: [
              { name: "title", type: "text", required: true },
              { name: "status", type: "select", options: { values: ["draft", "published"] } },
            ],
            triggers: [{ action: "CREATE", url: hook, headers: { "X-Source": "hookd" } }],
          },
        },
        {
          expectedStatus: 200,
          after: async (app, body) => {
            const c = body.data.createCollection;
            expect(c).toMatchObject({
              name: "posts",
              type: "base",
              schema: [
                { name: "title", type: "text", required: true, options: {} },
                { name: "status", type: "select", required: false, options: { values: ["draft", "published"] } },
              ],
            });
            expect(c.triggers).toEqual([
              {
                action: "CREATE",
                url: hook,
                method: "POST",
                headers: { "X-Source": "hookd" },
                retryLimit: null,
                jwtEnabled: false,
                timeoutMs: 15000,
                active: true,
              },
            ]);
            // options holds the stored trigger, where an unset retryLimit is left out.
            const { retryLimit, ...stored } = c.triggers[0];
            expect(c.options.triggers).toMatchObject([{ ...stored, action: "create" }]);
            expect(await columnsOf(app, "posts")).toEqual(["id", "created", "updated", "title", "status"]);
          },
        },
      ),
      gql(
        "with options as an object",
        CREATE,
        {
          input: {
            name: "orders",
            fields: [{ name: "total", type: "number" }],
            options: { triggers: [{ action: "INSERT", url: hook }] },
          },
        },
        {
          expectedStatus: 200,
          expectedContent: ['"action":"CREATE"'],
        },
      ),
      gql(
        "with options as a JSON string",
        CREATE,
        {
          input: {
            name: "events",
            options: JSON.stringify({ triggers: [{ action: "DELETE", url: hook, retryLimit: 100 }] }),
          },
        },
        {
          expectedStatus: 200,
          expectedContent: ['"action":"DELETE"', '"retryLimit":100'],
        },
      ),
      gql(
        "inline arguments instead of variables",
        `mutation { createCollection(input: {name: "inline", fields: [{name: "n", type: "number"}]}) { name schema { name type } } }`,
        undefined,
        {
          expectedStatus: 200,
          expectedContent: ['"createCollection":{"name":"inline","schema":[{"name":"n","type":"number"}]}'],
        },
      ),
      refused(
        "a duplicate name is CONFLICT",
        CREATE,
        { input: { name: "posts" } },
        "CONFLICT",
        undefined,
        collectionCount(4),
      ),
      refused(
        "a duplicate name in another case is CONFLICT",
        CREATE,
        { input: { name: "Posts" } },
        "CONFLICT",
        undefined,
        collectionCount(4),
      ),
      refused("a missing name is VALIDATION", CREATE, { input: {} }, "VALIDATION", "name", collectionCount(4)),
      refused(
        "a name starting with _ is VALIDATION",
        CREATE,
        { input: { name: "_x" } },
        "VALIDATION",
        "name",
        collectionCount(4),
      ),
      refused(
        "a name starting with sqlite_ is VALIDATION",
        CREATE,
        { input: { name: "sqlite_x" } },
        "VALIDATION",
        "name",
        collectionCount(4),
      ),
      refused(
        "a name with a dash is VALIDATION",
        CREATE,
        { input: { name: "a-b" } },
        "VALIDATION",
        "name",
        collectionCount(4),
      ),
      refused(
        "a field named created is VALIDATION",
        CREATE,
        { input: { name: "c1", fields: [{ name: "created", type: "text" }] } },
        "VALIDATION",
        "fields.0.name",
        collectionCount(4),
      ),
      refused(
        "duplicate fields are VALIDATION",
        CREATE,
        {
          input: {
            name: "c2",
            fields: [
              { name: "a", type: "text" },
              { name: "a", type: "bool" },
            ],
          },
        },
        "VALIDATION",
        "fields.1.name",
        collectionCount(4),
      ),
      refused(
        "an unknown field type is VALIDATION",
        CREATE,
        { input: { name: "c3", fields: [{ name: "a", type: "blob" }] } },
        "VALIDATION",
        "fields.0.type",
        collectionCount(4),
      ),
      refused(
        "a select without values is VALIDATION",
        CREATE,
        { input: { name: "c4", fields: [{ name: "a", type: "select" }] } },
        "VALIDATION",
        "fields.0.options.values",
        collectionCount(4),
      ),
      gql(
        "a bad trigger action is a 400 VALIDATION naming the enum's values",
        CREATE,
        { input: { name: "c5", triggers: [{ action: "upsert", url: hook }] } },
        {
          expectedStatus: 400,
          expectedContent: ['"code":"VALIDATION"', "input.triggers[0].action", "RecordAction"],
          after: collectionCount(4),
        },
      ),
      refused(
        "a trigger url that is not http(s) is VALIDATION",
        CREATE,
        { input: { name: "c6", triggers: [{ action: "CREATE", url: "file:///etc/passwd" }] } },
        "VALIDATION",
        "triggers.0.url",
        collectionCount(4),
      ),
      refused(
        "retryLimit 0 is VALIDATION",
        CREATE,
        { input: { name: "c7", triggers: [{ action: "CREATE", url: hook, retryLimit: 0 }] } },
        "VALIDATION",
        "triggers.0.retryLimit",
        collectionCount(4),
      ),
      refused(
        "retryLimit 101 is VALIDATION",
        CREATE,
        { input: { name: "c8", triggers: [{ action: "CREATE", url: hook, retryLimit: 101 }] } },
        "VALIDATION",
        "triggers.0.retryLimit",
        collectionCount(4),
      ),
      refused(
        "a bad header is VALIDATION",
        CREATE,
        { input: { name: "c9", triggers: [{ action: "CREATE", url: hook, headers: { "X-A": "a\nb" } }] } },
        "VALIDATION",
        "triggers.0.headers.X-A",
        collectionCount(4),
      ),
      refused(
        "options that are not JSON are VALIDATION",
        CREATE,
        { input: { name: "c10", options: "{nope" } },
        "VALIDATION",
        "options",
        collectionCount(4),
      ),
      gql(
        "a wrongly typed variable is a 400 that says why, not an INTERNAL error",
        CREATE,
        { input: { name: "c11", fields: "title" } },
        {
          expectedStatus: 400,
          expectedContent: ['"errors":[', "input.fields", "FieldInput"],
          notExpectedContent: ["INTERNAL"],
          after: collectionCount(4),
        },
      ),
    ],
  );
});

describe("read", () => {
  runScenarios(
    () => t,
    [
      gql(
        "collections answers the page shape",
        "{ collections { page perPage totalItems totalPages items { name } } }",
        undefined,
        {
          expectedStatus: 200,
          expectedContent: [
            '"collections":{"page":1,"perPage":30,"totalItems":4,"totalPages":1,"items":[{"name":"posts"},{"name":"orders"},{"name":"events"},{"name":"inline"}]}',
          ],
        },
      ),
      gql(
        "collections pages",
        "query($p: Int, $pp: Int) { collections(page: $p, perPage: $pp) { page perPage totalPages items { name } } }",
        { p: 2, pp: 3 },
        {
          expectedStatus: 200,
          expectedContent: ['{"page":2,"perPage":3,"totalPages":2,"items":[{"name":"inline"}]}'],
        },
      ),
      refused("perPage 0 is VALIDATION", "{ collections(perPage: 0) { totalItems } }", {}, "VALIDATION"),
      gql(
        "a variable of the wrong scalar type is a 400",
        "query($p: Int) { collections(page: $p) { totalItems } }",
        { p: "two" },
        { expectedStatus: 400, expectedContent: ["Int cannot represent"], notExpectedContent: ["INTERNAL"] },
      ),
      gql(
        "collection by name",
        `{ collection(name: "posts") { name schema { name } triggers { action } } }`,
        undefined,
        {
          expectedStatus: 200,
          expectedContent: [
            '{"collection":{"name":"posts","schema":[{"name":"title"},{"name":"status"}],"triggers":[{"action":"CREATE"}]}}',
          ],
        },
      ),
      refused("an unknown collection is NOT_FOUND", `{ collection(name: "nope") { name } }`, {}, "NOT_FOUND"),
      {
        name: "queries work over GET",
        method: "GET",
        url: `/graphql?query=${encodeURIComponent('{ collection(name: "posts") { name } }')}`,
        expectedStatus: 200,
        expectedContent: ['{"data":{"collection":{"name":"posts"}}}'],
      },
    ],
  );
});

describe("update", () => {
  beforeAll(async () => {
    for (const title of ["one", "two"])
      expect((await t.request("POST", "/api/collections/posts/records", { title, status: "draft" })).status).toBe(200);
  });
  runScenarios(
    () => t,
    [
      gql(
        "adding a field keeps every row's data",
        UPDATE,
        {
          name: "posts",
          input: {
            fields: [
              { name: "title", type: "text", required: true },
              { name: "status", type: "select", options: { values: ["draft", "published"] } },
              { name: "rank", type: "number" },
            ],
          },
        },
        {
          expectedStatus: 200,
          after: async (app, body) => {
            expect(body.data.updateCollection.schema.map((f: any) => f.name)).toEqual(["title", "status", "rank"]);
            const rows = await app.deps.db.execute("SELECT title, status, rank FROM posts ORDER BY rowid");
            expect(rows.rows.map((r) => [r.title, r.status, r.rank])).toEqual([
              ["one", "draft", null],
              ["two", "draft", null],
            ]);
          },
        },
      ),
      gql(
        "removing a field drops its column",
        UPDATE,
        {
          name: "posts",
          input: {
            fields: [
              { name: "title", type: "text", required: true },
              { name: "rank", type: "number" },
            ],
          },
        },
        {
          expectedStatus: 200,
          after: async (app) => {
            expect(await columnsOf(app, "posts")).toEqual(["id", "created", "updated", "title", "rank"]);
            expect(await countRows(app, "posts")).toBe(2);
          },
        },
      ),
      gql(
        "triggers are replaced",
        UPDATE,
        { name: "posts", input: { triggers: [{ action: "UPDATE", url: hook, active: false }] } },
        {
          expectedStatus: 200,
          expectedContent: ['"triggers":[{"action":"UPDATE"', '"active":false'],
          notExpectedContent: ['"action":"CREATE"'],
          after: async (app) => {
            const rs = await app.deps.db.execute(
              "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'posts'",
            );
            expect(rs.rows).toHaveLength(0);
          },
        },
      ),
      gql(
        "renaming moves the table",
        UPDATE,
        { name: "posts", input: { name: "entries" } },
        {
          expectedStatus: 200,
          expectedContent: ['"name":"entries"'],
          after: async (app) => {
            expect(await tableExists(app, "posts")).toBe(false);
            expect(await countRows(app, "entries")).toBe(2);
          },
        },
      ),
      refused(
        "renaming onto a taken name is CONFLICT",
        UPDATE,
        { name: "entries", input: { name: "orders" } },
        "CONFLICT",
        undefined,
        async (app) => expect(await tableExists(app, "entries")).toBe(true),
      ),
      refused(
        "an invalid field is VALIDATION and changes nothing",
        UPDATE,
        { name: "entries", input: { fields: [{ name: "id", type: "text" }] } },
        "VALIDATION",
        "fields.0.name",
        async (app) => expect(await columnsOf(app, "entries")).toEqual(["id", "created", "updated", "title", "rank"]),
      ),
      refused(
        "updating an unknown collection is NOT_FOUND",
        UPDATE,
        { name: "nope", input: { name: "other" } },
        "NOT_FOUND",
      ),
    ],
  );
});

describe("delete", () => {
  runScenarios(
    () => t,
    [
      gql("deleteCollection drops the table", `mutation { deleteCollection(name: "entries") { name } }`, undefined, {
        expectedStatus: 200,
        expectedContent: ['{"deleteCollection":{"name":"entries"}}'],
        after: async (app) => {
          expect(await tableExists(app, "entries")).toBe(false);
          expect((await app.deps.db.execute("SELECT 1 FROM _collections WHERE name = 'entries'")).rows).toHaveLength(0);
        },
      }),
      refused(
        "deleting again is NOT_FOUND",
        `mutation { deleteCollection(name: "entries") { name } }`,
        {},
        "NOT_FOUND",
      ),
    ],
  );
});

describe("transport", () => {
  runScenarios(
    () => t,
    [
      gql("a syntax error is a 400 GRAPHQL_PARSE_FAILED, not a 500", "{ collections { ", undefined, {
        expectedStatus: 400,
        expectedContent: ['"errors":[', "Syntax Error", '"code":"GRAPHQL_PARSE_FAILED","status":400'],
      }),
      gql("an unknown field is a 400 GRAPHQL_VALIDATION_FAILED", "{ nope }", undefined, {
        expectedStatus: 400,
        expectedContent: ['"errors":[', "nope", '"code":"GRAPHQL_VALIDATION_FAILED","status":400'],
      }),
      {
        name: "malformed JSON is a 400",
        method: "POST",
        url: "/graphql",
        body: '{"query": ',
        expectedStatus: 400,
        expectedContent: ['"errors":['],
      },
      {
        name: "a wrong content type is a 415",
        method: "POST",
        url: "/graphql",
        headers: { ...ADMIN, "content-type": "text/plain" },
        body: JSON.stringify({ query: "{ collections { totalItems } }" }),
        expectedStatus: 415,
      },
      {
        name: "a mutation over GET is refused",
        method: "GET",
        url: `/graphql?query=${encodeURIComponent('mutation { deleteCollection(name: "orders") { name } }')}`,
        expectedStatus: 405,
        after: async (app) => expect(await tableExists(app, "orders")).toBe(true),
      },
      {
        name: "PUT is a 405",
        method: "PUT",
        url: "/graphql",
        body: { query: "{ collections { totalItems } }" },
        expectedStatus: 405,
      },
      {
        name: "a declared body over 1 MiB is a 413 with extensions.code",
        method: "POST",
        url: "/graphql",
        headers: { ...ADMIN, "content-length": String(2 * 1024 * 1024) },
        body: { query: "{ collections { totalItems } }" },
        expectedStatus: 413,
        expectedContent: [
          '"code":"PAYLOAD_TOO_LARGE"',
          '"errors":[{"message":',
          '"extensions":{"code":"PAYLOAD_TOO_LARGE","status":413',
        ],
      },
      {
        name: "without the token: 401 with extensions.code UNAUTHORIZED, and nothing runs",
        method: "POST",
        url: "/graphql",
        headers: {},
        body: { query: 'mutation { deleteCollection(name: "orders") { name } }' },
        expectedStatus: 401,
        expectedContent: ['"status":401,"code":"UNAUTHORIZED"', '"extensions":{"code":"UNAUTHORIZED","status":401'],
        after: async (app) => expect(await tableExists(app, "orders")).toBe(true),
      },
      {
        name: "with a wrong X-API-Key: 401 with extensions.code UNAUTHORIZED",
        method: "GET",
        url: `/graphql?query=${encodeURIComponent("{ collections { totalItems } }")}`,
        headers: { "x-api-key": "wrong" },
        expectedStatus: 401,
        expectedContent: ['"extensions":{"code":"UNAUTHORIZED"'],
        notExpectedContent: ['"data":{"collections"'],
      },
    ],
  );
});

test("an unexpected error is masked as INTERNAL without details", async () => {
  // Drop the table behind hookd's back: reading it now fails inside SQLite.
  await t.deps.db.execute("DROP TABLE events");
  const res = await send(t, {
    method: "POST",
    url: "/graphql",
    body: { query: '{ records(collection: "events") { totalItems } }' },
  });
  expect(res.status).toBe(200);
  expect(res.json.errors[0].extensions.code).toBe("INTERNAL");
  expect(res.text).not.toContain("no such table");
});

test("a chunked GraphQL body over 1 MiB is a 413 although it declares no length", async () => {
  const app = await makeTestApp();
  const big = JSON.stringify({ query: `{ collections { totalItems } } # ${"x".repeat(1024 * 1024)}` });
  const body = new ReadableStream({
    start(controller) {
      for (let i = 0; i < big.length; i += 64 * 1024)
        controller.enqueue(new TextEncoder().encode(big.slice(i, i + 64 * 1024)));
      controller.close();
    },
  });
  const res = await app.app.fetch(
    new Request("http://hookd.test/graphql", {
      method: "POST",
      body,
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    }),
  );
  expect(res.status).toBe(413);
  expect((await res.json()).code).toBe("PAYLOAD_TOO_LARGE");
});
