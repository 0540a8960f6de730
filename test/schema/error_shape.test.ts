// One error shape (docs/api.md): REST answers {status, code, message, data}; every GraphQL error,
// parse and validation errors included, carries {code, status, data} in extensions and nothing
// internal; a request with several problems reports each.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { runScenarios, type Scenario } from "../support/scenario";
import { makeTestApp, type TestApp } from "../support/test_app";

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(() => t.deps.db.close());

const ONLY_SHAPE = ["code", "data", "status"];

/** graphqlRefusal expects an HTTP status and, on every error, exactly {code, status, data} in extensions. */
function graphqlRefusal(name: string, body: unknown, status: number, code: string, errors = 1): Scenario {
  return {
    name,
    method: "POST",
    url: "/graphql",
    body,
    expectedStatus: status,
    notExpectedContent: ["originalError", "stack", "SyntaxError", "at /"],
    after: (_t, res) => {
      expect(res.errors).toHaveLength(errors);
      for (const e of res.errors) {
        expect(Object.keys(e.extensions).sort()).toEqual(ONLY_SHAPE);
        expect(e.extensions).toMatchObject({ code, status, data: {} });
      }
    },
  };
}

runScenarios(
  () => t,
  [
    graphqlRefusal("bad JSON leaks nothing internal", '{"query": "{ collections { page } }"', 400, "BAD_REQUEST"),
    graphqlRefusal("no query", {}, 400, "BAD_REQUEST"),
    graphqlRefusal("a parse error", { query: "{ collections { " }, 400, "GRAPHQL_PARSE_FAILED"),
    graphqlRefusal(
      "every validation error is reported",
      { query: "{ nope collections { zzz } }" },
      400,
      "GRAPHQL_VALIDATION_FAILED",
      2,
    ),
    graphqlRefusal(
      "an enum value that does not exist",
      { query: "{ webhookLogs(filter: {status: done}) { totalItems } }" },
      400,
      "GRAPHQL_VALIDATION_FAILED",
    ),
    graphqlRefusal(
      "a variable of the wrong type",
      { query: "query($p: Int) { collections(perPage: $p) { page } }", variables: { p: "x" } },
      400,
      "VALIDATION",
    ),
    {
      name: "REST: an unknown route is a 404 in the shape",
      method: "GET",
      url: "/api/nope",
      expectedStatus: 404,
      after: (_t, body) => expect(Object.keys(body).sort()).toEqual(["code", "data", "message", "status"]),
    },
    {
      name: "REST: a bad page and a bad sort are both VALIDATION, each named",
      method: "GET",
      url: "/api/collections?page=0&sort=nope",
      expectedStatus: 400,
      after: (_t, body) => {
        expect(body).toMatchObject({ status: 400, code: "VALIDATION" });
        expect(Object.keys(body.data).sort()).toEqual(["page", "sort"]);
        expect(body.message).toContain("page: ");
        expect(body.message).toContain("sort: ");
      },
    },
  ],
);

test("errors raised by hookd inside GraphQL keep their code, status and field data", async () => {
  const res = await t.graphql(`{ records(collection: "nope") { totalItems } }`);
  expect(res.body.errors[0].extensions).toEqual({ code: "NOT_FOUND", status: 404, data: {} });
  const bad = await t.graphql(`mutation { createWebhook(input: { name: "x", url: "nope", method: POST }) { name } }`);
  expect(bad.body.errors[0].extensions).toMatchObject({ code: "VALIDATION", status: 400, data: { url: {} } });
});

test("GraphQL enums: method, action, source and status read and write as enum values", async () => {
  const created = await t.graphql(
    `mutation { createWebhook(input: { name: "e", url: "http://127.0.0.1:9/e", method: PUT }) { method } }`,
  );
  expect(created.body.data.createWebhook).toEqual({ method: "PUT" });
  const rest = await t.request("GET", "/api/webhooks/e");
  expect(rest.body.method).toBe("PUT");
});

test("a body's unknown keys and its bad values are reported together", async () => {
  const res = await t.request("POST", "/api/webhooks", { name: "x", url: "nope", tiemoutMs: 5, timeoutMs: -1 });
  expect(res.status).toBe(400);
  expect(Object.keys(res.body.data).sort()).toEqual(["tiemoutMs", "timeoutMs", "url"]);
  expect(res.body.data.tiemoutMs.code).toBe("unknown_key");
  const cron = await t.request("POST", "/api/cron", { name: "c", schedule: "61 * * * *", type: "sql", sqll: "x" });
  expect(Object.keys(cron.body.data).sort()).toEqual(["schedule", "sql", "sqll"]);
});

test("a collection body's problems are all reported: name, unknown keys, fields and triggers", async () => {
  const res = await t.request("POST", "/api/collections", {
    name: "_bad",
    feilds: [],
    schema: [{ name: "ok", type: "nope" }],
    triggers: [{ action: "upsert", url: "http://127.0.0.1:9/x", retyLimit: 3 }],
  });
  expect(res.status).toBe(400);
  expect(Object.keys(res.body.data).sort()).toEqual([
    "feilds",
    "name",
    "schema.0.type",
    "triggers.0.action",
    "triggers.0.retyLimit",
  ]);
});
