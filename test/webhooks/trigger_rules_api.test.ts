// condition, columns and orderingKey through REST and GraphQL: accepted and answered as given,
// and every bad one a 400 naming the field (with the position of a syntax error), nothing written.
import { beforeAll, describe, expect, test } from "bun:test";
import { makeTestApp, type TestApp } from "../support/test_app";

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});

const HOOK = "https://example.com/hook";
const FIELDS = [
  { name: "title", type: "text" },
  { name: "status", type: "text" },
];
const update = { action: "update", url: HOOK };

describe("bad trigger rules are 400s naming the field", () => {
  const cases: [string, Record<string, unknown>, string, string][] = [
    [
      "a syntax error",
      { ...update, condition: "status = 'x' &&" },
      "triggers.0.condition",
      "at character 16, found the end of the condition",
    ],
    [
      "an injection attempt",
      { ...update, condition: "title = 'x'); DROP TABLE posts; --" },
      "triggers.0.condition",
      "at character 12",
    ],
    [
      "an unknown field",
      { ...update, condition: "state = 'x'" },
      "triggers.0.condition",
      `unknown field "state" at character 1`,
    ],
    [
      "an unknown old.<field>",
      { ...update, condition: "old.state = 'x'" },
      "triggers.0.condition",
      `unknown field "state"`,
    ],
    [
      "a condition over 2,000 characters",
      { ...update, condition: `title = '${"x".repeat(2000)}'` },
      "triggers.0.condition",
      "is longer than 2,000 characters",
    ],
    [
      "a condition that is not a string",
      { ...update, condition: { status: "x" } },
      "triggers.0.condition",
      "must be a string",
    ],
    [
      "columns on a create trigger",
      { action: "create", url: HOOK, columns: ["status"] },
      "triggers.0.columns",
      "only update triggers have columns",
    ],
    ["an unknown column", { ...update, columns: ["status", "nope"] }, "triggers.0.columns", `has no field "nope"`],
    [
      "columns that are not a list",
      { ...update, columns: "status" },
      "triggers.0.columns",
      "must be a list of field names",
    ],
    ["an unknown orderingKey", { ...update, orderingKey: "nope" }, "triggers.0.orderingKey", `must be "id" or a field`],
    [
      "orderingKey created (not id or a field)",
      { ...update, orderingKey: "created" },
      "triggers.0.orderingKey",
      `must be "id" or a field`,
    ],
    [
      "an orderingKey that is not a string",
      { ...update, orderingKey: ["id"] },
      "triggers.0.orderingKey",
      `must be "id" or a field name`,
    ],
  ];
  for (const [name, trigger, field, message] of cases) {
    test(name, async () => {
      const res = await t.request("POST", "/api/collections", {
        name: "bad",
        fields: FIELDS,
        triggers: [{ action: "create", url: HOOK }, trigger],
      });
      const at = field.replace("triggers.0", "triggers.1");
      expect(res.status).toBe(400);
      expect(res.body.code).toBe("VALIDATION");
      expect(Object.keys(res.body.data)).toEqual([at]);
      expect(res.body.data[at].message).toContain(message);
      expect((await t.request("GET", "/api/collections/bad")).status).toBe(404);
    });
  }

  test("options.triggers (as a JSON string) is named as sent", async () => {
    const res = await t.request("POST", "/api/collections", {
      name: "bad",
      fields: FIELDS,
      options: JSON.stringify({ triggers: [{ ...update, condition: "x = 1" }] }),
    });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.data)).toEqual(["options.triggers.0.condition"]);
  });

  test("dropping a field a condition uses is refused and changes nothing", async () => {
    expect(
      (
        await t.request("POST", "/api/collections", {
          name: "keep",
          fields: FIELDS,
          triggers: [{ ...update, condition: "status != old.status" }],
        })
      ).status,
    ).toBe(200);
    const res = await t.request("PATCH", "/api/collections/keep", { fields: [{ name: "title", type: "text" }] });
    expect(res.status).toBe(400);
    expect(res.body.data["triggers.0.condition"].message).toContain(`unknown field "status"`);
    const cols = await t.deps.db.execute("SELECT name FROM pragma_table_info('keep')");
    expect(cols.rows.map((r) => r.name)).toContain("status");
  });
});

test("renaming a field (by its id) rewrites the conditions, columns and ordering keys that use it", async () => {
  const created = await t.request("POST", "/api/collections", {
    name: "ren",
    fields: FIELDS,
    triggers: [
      {
        ...update,
        condition: "status = 'status' && old.status != status || title ~ \"status\"",
        columns: ["status", "title"],
        orderingKey: "status",
      },
    ],
  });
  expect(created.status).toBe(200);
  const [title, status] = created.body.schema;
  const res = await t.request("PATCH", "/api/collections/ren", { fields: [title, { ...status, name: "state" }] });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.options.triggers[0]).toMatchObject({
    condition: "state = 'status' && old.state != state || title ~ \"status\"",
    columns: ["state", "title"],
    orderingKey: "state",
  });
  await t.deps.db.execute("INSERT INTO ren (id, state) VALUES ('r', 'draft')");
  await t.deps.db.execute("UPDATE ren SET state = 'status' WHERE id = 'r'");
  const logs = await t.deps.db.execute("SELECT count(*) AS n FROM _webhook_logs WHERE collection = 'ren'");
  expect(Number(logs.rows[0]!.n)).toBe(1);
});

test("REST answers the fields as given; empty values mean none and are left out", async () => {
  const triggers = [
    {
      ...update,
      condition: "status = 'published' && old.status != 'published'",
      columns: ["status"],
      orderingKey: "id",
    },
    { action: "create", url: HOOK, condition: "  ", columns: [], orderingKey: "" },
  ];
  const res = await t.request("POST", "/api/collections", { name: "rest_rules", fields: FIELDS, triggers });
  expect(res.status).toBe(200);
  const got = (await t.request("GET", "/api/collections/rest_rules")).body.options.triggers;
  expect(got[0]).toMatchObject(triggers[0]!);
  expect(got[1].condition).toBeUndefined();
  expect(got[1].columns).toBeUndefined();
  expect(got[1].orderingKey).toBeUndefined();
});

test("GraphQL accepts and answers condition, columns and orderingKey, and names the field of an error", async () => {
  const mutation = `mutation ($input: CollectionInput!) { createCollection(input: $input) { triggers { action condition columns orderingKey } } }`;
  const ok = await t.graphql(mutation, {
    input: {
      name: "gql_rules",
      fields: FIELDS,
      triggers: [
        { action: "UPDATE", url: HOOK, condition: "title ~ 'x'", columns: ["title"], orderingKey: "status" },
        { action: "DELETE", url: HOOK },
      ],
    },
  });
  expect(ok.body.errors).toBeUndefined();
  expect(ok.body.data.createCollection.triggers).toEqual([
    { action: "UPDATE", condition: "title ~ 'x'", columns: ["title"], orderingKey: "status" },
    { action: "DELETE", condition: null, columns: null, orderingKey: null },
  ]);
  const bad = await t.graphql(mutation, {
    input: { name: "gql_bad", fields: FIELDS, triggers: [{ action: "UPDATE", url: HOOK, condition: "title ~" }] },
  });
  expect(bad.body.errors[0].extensions.code).toBe("VALIDATION");
  expect(Object.keys(bad.body.errors[0].extensions.data)).toEqual(["triggers.0.condition"]);
  expect(bad.body.errors[0].message).toContain("at character 8");
});
