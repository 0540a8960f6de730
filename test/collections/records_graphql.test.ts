// Records over GraphQL: every field type, create/list/get/update/delete, sort and paging,
// with VALIDATION / NOT_FOUND in extensions.code and nothing written on error.
import { afterAll, beforeAll, describe, expect } from "bun:test";
import { makeTestApp, type TestApp } from "../support/test_app";
import { FIELD_CASES, TYPED_SCHEMA, label } from "../support/field_cases";
import { countRows, runScenarios, type Scenario } from "../support/scenario";

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
  expect((await t.request("POST", "/api/collections", { name: "typed", schema: TYPED_SCHEMA })).status).toBe(200);
  expect(
    (
      await t.request("POST", "/api/collections", {
        name: "posts",
        schema: [
          { name: "title", type: "text", required: true },
          { name: "views", type: "number" },
        ],
      })
    ).status,
  ).toBe(200);
  expect((await t.request("POST", "/api/collections/typed/records", { id: "seed", f_text: "seed" })).status).toBe(200);
});
afterAll(() => t.deps.db.close());

const CREATE = "mutation($c: String!, $d: JSON!) { createRecord(collection: $c, data: $d) }";
const UPDATE = "mutation($c: String!, $id: ID!, $d: JSON!) { updateRecord(collection: $c, id: $id, data: $d) }";
const GET = "query($c: String!, $id: ID!) { record(collection: $c, id: $id) }";
const LIST =
  "query($c: String!, $p: Int, $pp: Int, $s: String) { records(collection: $c, page: $p, perPage: $pp, sort: $s) { page perPage totalItems totalPages items } }";
const DELETE = "mutation($c: String!, $id: ID!) { deleteRecord(collection: $c, id: $id) }";

/** gql is a GraphQL POST scenario answering 200. */
function gql(
  name: string,
  query: string,
  variables: Record<string, unknown>,
  rest: Omit<Scenario, "name" | "method" | "url" | "body" | "expectedStatus"> = {},
): Scenario {
  return { name, method: "POST", url: "/graphql", body: { query, variables }, expectedStatus: 200, ...rest };
}

/** failsWith expects one GraphQL error with that code (and naming `field` in extensions.data). */
const failsWith = (code: string, field?: string): Pick<Scenario, "expectedContent"> => ({
  expectedContent: ['"data":null', `"extensions":{"code":"${code}"`, ...(field ? [`"data":{"${field}":{"code":`] : [])],
});

describe("field types", () => {
  const scenarios: Scenario[] = [];
  for (const { field, valid, invalid } of FIELD_CASES) {
    for (const value of valid) {
      scenarios.push(
        gql(
          `${field} accepts ${label(value)}`,
          CREATE,
          { c: "typed", d: { [field]: value } },
          {
            after: (_app, body) => expect(body.data.createRecord[field]).toEqual(value),
          },
        ),
      );
    }
    for (const value of invalid) {
      let before = 0;
      scenarios.push(
        gql(
          `${field} refuses ${label(value)} on create`,
          CREATE,
          { c: "typed", d: { f_text: "no", [field]: value } },
          {
            ...failsWith("VALIDATION", field),
            before: async (app) => (before = await countRows(app, "typed")),
            after: async (app) => expect(await countRows(app, "typed")).toBe(before),
          },
        ),
      );
      scenarios.push(
        gql(
          `${field} refuses ${label(value)} on update`,
          UPDATE,
          { c: "typed", id: "seed", d: { f_text: "changed", [field]: value } },
          {
            ...failsWith("VALIDATION", field),
            after: async (app) =>
              expect((await app.deps.db.execute("SELECT f_text FROM typed WHERE id = 'seed'")).rows[0]!.f_text).toBe(
                "seed",
              ),
          },
        ),
      );
    }
  }
  runScenarios(() => t, scenarios);
});

describe("records", () => {
  let id = "";
  runScenarios(
    () => t,
    [
      gql(
        "createRecord answers the record",
        CREATE,
        { c: "posts", d: { title: "first", views: 1 } },
        {
          expectedContent: ['"collectionName":"posts"', '"title":"first"', '"views":1'],
          after: (_app, body) => {
            id = body.data.createRecord.id;
            expect(id).toMatch(/^[0-9a-f]{16}$/);
          },
        },
      ),
      gql(
        "createRecord with data inline",
        'mutation { createRecord(collection: "posts", data: {title: "second", views: 2}) }',
        {},
        { expectedContent: ['"title":"second"'] },
      ),
      gql(
        "createRecord with a chosen id",
        CREATE,
        { c: "posts", d: { id: "third", title: "third", views: 3 } },
        { expectedContent: ['"id":"third"'] },
      ),
      gql(
        "a duplicate id is CONFLICT",
        CREATE,
        { c: "posts", d: { id: "third", title: "again" } },
        failsWith("CONFLICT"),
      ),
      gql(
        "a missing required field is VALIDATION",
        CREATE,
        { c: "posts", d: { views: 1 } },
        failsWith("VALIDATION", "title"),
      ),
      gql(
        "an unknown field is VALIDATION",
        CREATE,
        { c: "posts", d: { title: "x", colour: 1 } },
        failsWith("VALIDATION", "colour"),
      ),
      gql(
        "data that is not an object is VALIDATION",
        CREATE,
        { c: "posts", d: ["title"] },
        failsWith("VALIDATION", "body"),
      ),
      gql("an unknown collection is NOT_FOUND", CREATE, { c: "nope", d: { title: "x" } }, failsWith("NOT_FOUND")),
      gql(
        "records: newest first by default, page shape",
        LIST,
        { c: "posts" },
        {
          after: (_app, body) => {
            const page = body.data.records;
            expect([page.page, page.perPage, page.totalItems, page.totalPages]).toEqual([1, 30, 3, 1]);
            expect(page.items.map((r: any) => r.title)).toEqual(["third", "second", "first"]);
          },
        },
      ),
      gql(
        "records sorted by -views",
        LIST,
        { c: "posts", s: "-views" },
        { after: (_app, body) => expect(body.data.records.items.map((r: any) => r.views)).toEqual([3, 2, 1]) },
      ),
      gql(
        "records sorted by title, paged",
        LIST,
        { c: "posts", s: "title", p: 2, pp: 2 },
        {
          after: (_app, body) => {
            expect(body.data.records).toMatchObject({ page: 2, perPage: 2, totalItems: 3, totalPages: 2 });
            expect(body.data.records.items.map((r: any) => r.title)).toEqual(["third"]);
          },
        },
      ),
      gql("sorting by an unknown field is VALIDATION", LIST, { c: "posts", s: "nope" }, failsWith("VALIDATION")),
      gql("page 0 is VALIDATION", LIST, { c: "posts", p: 0 }, failsWith("VALIDATION")),
      gql("records of an unknown collection is NOT_FOUND", LIST, { c: "nope" }, failsWith("NOT_FOUND")),
      gql(
        "record by id",
        GET,
        { c: "posts", id: "third" },
        { expectedContent: ['"record":{"id":"third"', '"title":"third"'] },
      ),
      gql("an unknown record is NOT_FOUND", GET, { c: "posts", id: "nope" }, failsWith("NOT_FOUND")),
      gql(
        "updateRecord is partial",
        UPDATE,
        { c: "posts", id: "third", d: { views: 30 } },
        { expectedContent: ['"title":"third"', '"views":30'] },
      ),
      gql(
        "updateRecord cannot null a required field",
        UPDATE,
        { c: "posts", id: "third", d: { title: null } },
        failsWith("VALIDATION", "title"),
      ),
      gql(
        "updateRecord of an unknown record is NOT_FOUND",
        UPDATE,
        { c: "posts", id: "nope", d: { views: 1 } },
        failsWith("NOT_FOUND"),
      ),
      gql(
        "deleteRecord",
        DELETE,
        { c: "posts", id: "third" },
        {
          expectedContent: ['{"data":{"deleteRecord":true}}'],
          after: async (app) => expect(await countRows(app, "posts")).toBe(2),
        },
      ),
      gql("deleteRecord again is NOT_FOUND", DELETE, { c: "posts", id: "third" }, failsWith("NOT_FOUND")),
      {
        name: "records read over GET",
        method: "GET",
        url: `/graphql?query=${encodeURIComponent('{ records(collection: "posts", sort: "title") { items } }')}`,
        expectedStatus: 200,
        after: (_app, body) => expect(body.data.records.items.map((r: any) => r.title)).toEqual(["first", "second"]),
      },
    ],
  );
});
