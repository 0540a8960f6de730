// GraphQL cost limits: tokens, depth, aliases and cost (GraphQL Armor), the answer-size
// estimate that counts perPage, and the byte cap — each a 400 with extensions.code
// QUERY_TOO_COMPLEX, refused before any row is read, while normal queries (the README's among them) still work.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { parse } from "graphql";
import type { InStatement } from "../../src/db/client";
import { schema } from "../../src/schema";
import { estimateAnswerValues, pagedFieldNames } from "../../src/schema/answer_estimate";
import { QUERY_LIMITS } from "../../src/schema/query_limits";
import { makeTestApp, TOKEN, type TestApp } from "../support/test_app";

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
  const c = await t.request("POST", "/api/collections", {
    name: "posts",
    schema: [
      { name: "title", type: "text" },
      { name: "status", type: "text" },
    ],
  });
  expect(c.status).toBe(200);
  for (let i = 0; i < 5; i++)
    expect(
      (await t.request("POST", "/api/collections/posts/records", { title: `p${i}`, status: "draft" })).status,
    ).toBe(200);
});
afterAll(() => t.deps.db.close());

/** post sends a GraphQL request as a plain JSON client does (no Accept header). */
async function post(query: string, variables?: Record<string, unknown>, accept?: string) {
  const headers: Record<string, string> = {
    authorization: `Bearer ${TOKEN}`,
    "content-type": "application/json",
    ...(accept ? { accept } : {}),
  };
  const res = await t.app.fetch(
    new Request("http://hookd.test/graphql", { method: "POST", headers, body: JSON.stringify({ query, variables }) }),
  );
  return { status: res.status, body: (await res.json()) as any };
}

const aliased = (n: number, field: string) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(" ")} }`;

function expectTooComplex(res: { status: number; body: any }, mention: string) {
  expect(res.status).toBe(400);
  expect(res.body.data).toBeUndefined();
  expect(res.body.errors).toHaveLength(1);
  expect(res.body.errors[0].extensions).toEqual({ code: "QUERY_TOO_COMPLEX", status: 400, data: {} });
  expect(res.body.errors[0].message).toContain(mention);
}

describe("estimateAnswerValues", () => {
  const paged = pagedFieldNames(schema);
  const estimate = (query: string, variables?: Record<string, unknown>, operationName?: string) =>
    estimateAnswerValues(parse(query), operationName, variables, paged);
  test("the schema's paged fields are the ones with perPage", () => {
    expect([...paged].sort()).toEqual(expect.arrayContaining(["collections", "cronRuns", "records", "webhookLogs"]));
    expect(paged.has("webhooks")).toBe(false);
  });
  test("each field counts once per item of the paged lists above it", () => {
    expect(estimate('{ records(collection: "p", perPage: 10) { totalItems items } }')).toBe(1 + 10 + 10);
    expect(estimate('{ records(collection: "p") { items } }')).toBe(1 + 30);
    expect(estimate('{ records(collection: "p", perPage: 9999) { items } }')).toBe(1 + 500);
    expect(estimate("{ webhooks { name url } }")).toBe(3);
  });
  test("variables, aliases, fragments and the chosen operation count", () => {
    expect(
      estimate(
        'query($n: Int) { a: records(collection: "p", perPage: $n) { items } b: records(collection: "p", perPage: $n) { items } }',
        { n: 100 },
      ),
    ).toBe(2 * 101);
    expect(
      estimate('fragment F on RecordPage { items totalItems } { records(collection: "p", perPage: 5) { ...F } }'),
    ).toBe(1 + 10);
    expect(estimate('{ records(collection: "p", perPage: 5) { ... on RecordPage { items } } }')).toBe(1 + 5);
    expect(
      estimate('query A { webhooks { name } } query B { records(collection: "p", perPage: 7) { items } }', {}, "B"),
    ).toBe(8);
  });
});

describe("over a limit → 400 QUERY_TOO_COMPLEX", () => {
  test("1,000 aliases of records(perPage: 500) is refused before a row is read, for JSON and graphql-response clients alike", async () => {
    const query = aliased(1000, 'records(collection: "posts", perPage: 500) { items }');
    // Every statement the database is asked to run meanwhile: none may read the collection.
    const statements: string[] = [];
    const sql = (stmt: InStatement) => (typeof stmt === "string" ? stmt : stmt.sql);
    const { execute, batch } = t.deps.db;
    t.deps.db.execute = (stmt) => {
      statements.push(sql(stmt));
      return execute.call(t.deps.db, stmt);
    };
    t.deps.db.batch = (stmts, mode) => {
      statements.push(...stmts.map(sql));
      return batch.call(t.deps.db, stmts, mode);
    };
    const [json, spec, health] = await Promise.all([
      post(query),
      post(query, undefined, "application/graphql-response+json"),
      t.app.fetch(new Request("http://hookd.test/healthz")),
    ]).finally(() => {
      Object.assign(t.deps.db, { execute, batch });
    });
    expect(statements.filter((sql) => /\bposts\b/.test(sql))).toEqual([]);
    expectTooComplex(json, "too many tokens");
    expectTooComplex(spec, "too many tokens");
    expect(health.status).toBe(200);
  });

  test(`more than ${QUERY_LIMITS.aliases} aliases`, async () => {
    expectTooComplex(await post(aliased(QUERY_LIMITS.aliases + 1, "collections { totalItems }")), "too many aliases");
  });

  test(`nested deeper than ${QUERY_LIMITS.depth}`, async () => {
    // hookd's own types nest at most four deep, so inline fragments (which count) make the depth.
    const nest = (levels: number) => {
      let query = "{ collections { items { schema { name } } } }";
      for (let i = 0; i < levels; i++) query = `{ ... on Query ${query} }`;
      return query;
    };
    expect((await post(nest(QUERY_LIMITS.depth - 4))).status).toBe(200);
    expectTooComplex(await post(nest(QUERY_LIMITS.depth)), "nested too deep");
  });

  test("introspection (as tools send it) is not limited by depth", async () => {
    const { getIntrospectionQuery } = await import("graphql");
    const res = await post(getIntrospectionQuery());
    expect(res.status).toBe(200);
    expect(res.body.data.__schema.queryType.name).toBe("Query");
  });

  test("the answer-size estimate counts perPage, literal or variable", async () => {
    const per = 500;
    const fits = Math.floor(QUERY_LIMITS.answerValues / (per * 2 + 1));
    expect(
      (await post(aliased(fits, `records(collection: "posts", perPage: ${per}) { totalItems items }`))).status,
    ).toBe(200);
    expectTooComplex(
      await post(aliased(fits + 1, `records(collection: "posts", perPage: ${per}) { totalItems items }`)),
      "over the limit",
    );
    const withVariable = `query($n: Int) ${aliased(fits + 1, 'records(collection: "posts", perPage: $n) { totalItems items }')}`;
    expectTooComplex(await post(withVariable, { n: per }), "over the limit");
    expect((await post(withVariable, { n: 10 })).status).toBe(200);
  });

  test("an answer over HOOKD_MAX_ANSWER_BYTES (16 MiB by default) is refused (nothing partial is sent)", async () => {
    const big = "x".repeat(900_000);
    for (let i = 0; i < 20; i++) await t.deps.db.execute({ sql: "INSERT INTO posts (title) VALUES (?)", args: [big] });
    const res = await post('{ records(collection: "posts", perPage: 30) { items } }');
    expectTooComplex(res, "HOOKD_MAX_ANSWER_BYTES");
    expect((await post('{ records(collection: "posts", perPage: 5, sort: "created") { items } }')).status).toBe(200);
    await t.deps.db.execute({ sql: "DELETE FROM posts WHERE title = ?", args: [big] });
  });
});

describe("normal queries still work", () => {
  test("the README quickstart's queries", async () => {
    const id = (await post('{ records(collection: "posts", perPage: 1) { items } }')).body.data.records.items[0].id;
    const update = await post(
      `mutation { updateRecord(collection: "posts", id: "${id}", data: {status: "published"}) }`,
    );
    expect(update.status).toBe(200);
    expect(update.body.data.updateRecord.status).toBe("published");
    const list = await post(
      '{ records(collection: "posts", perPage: 10) { totalItems items } webhookLogs(collection: "posts") { items { id action status httpStatus tries } } }',
    );
    expect(list.status).toBe(200);
    expect(list.body.data.records.totalItems).toBe(5);
  });

  test("a full page of records and of logs, with every log field, in one query", async () => {
    const res = await post(`{
      records(collection: "posts", perPage: 500) { page perPage totalItems totalPages items }
      webhookLogs(perPage: 500) { totalItems items { id source collection action recordId url method payload status httpStatus errorMsg responseBody tries retryLimit createdAt updatedAt } }
      collections { items { id name schema { id name type required options } triggers { action url method headers } } }
      webhooks { name url } cronJobs { name schedule }
    }`);
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
  });
});

describe("introspection past graphql-js's own depth rule", () => {
  test("is the documented 400 QUERY_TOO_COMPLEX, not a 200 validation error", async () => {
    let nested = "name";
    for (let i = 0; i < 4; i++) nested = `fields { type { ${nested} } }`;
    expectTooComplex(await post(`{ __schema { types { ${nested} } } }`), "nested too deep: introspection");
    expectTooComplex(
      await post(`{ __type(name: "Query") { ${nested} } }`, undefined, "application/graphql-response+json"),
      "nested too deep",
    );
  });
});
