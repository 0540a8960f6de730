// Fields have stable ids (as in PocketBase): a field sent with a stored field's id and a new
// name is renamed in place — its data kept, the capture triggers rebuilt so payloads use the
// new name — while a field sent without an id is matched by name as before.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { forgetCollections } from "../../src/collections/catalogue_cache";
import { columnsOf } from "../support/scenario";
import { makeTestApp, type TestApp } from "../support/test_app";

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(() => t.deps.db.close());

const HEX16 = /^[0-9a-f]{16}$/;

async function schemaOf(name: string): Promise<{ id: string; name: string; type: string }[]> {
  return (await t.request("GET", `/api/collections/${name}`)).body.schema;
}

async function payloads(collection: string, action: string): Promise<any[]> {
  const rs = await t.deps.db.execute({
    sql: "SELECT payload FROM _webhook_logs WHERE collection = ? AND action = ? ORDER BY rowid",
    args: [collection, action],
  });
  return rs.rows.map((r) => JSON.parse(String(r.payload)));
}

describe("ids", () => {
  test("every field gets an id when created; an id the client gives is kept", async () => {
    const res = await t.request("POST", "/api/collections", {
      name: "ids",
      schema: [
        { name: "a", type: "text" },
        { id: "my_field-1", name: "b", type: "text" },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.schema[0].id).toMatch(HEX16);
    expect(res.body.schema[1].id).toBe("my_field-1");
    expect(await schemaOf("ids")).toEqual(res.body.schema);
  });

  test("two fields with one id → 400 naming the second", async () => {
    const res = await t.request("POST", "/api/collections", {
      name: "dup",
      schema: [
        { id: "x", name: "a", type: "text" },
        { id: "x", name: "b", type: "text" },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.data["schema.1.id"].code).toBe("duplicate");
  });

  test("an update without ids keeps each field's id (matched by name)", async () => {
    const before = await schemaOf("ids");
    const res = await t.request("PATCH", "/api/collections/ids", {
      schema: [
        { name: "a", type: "text" },
        { name: "b", type: "editor" },
        { name: "c", type: "number" },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.schema.slice(0, 2).map((f: any) => f.id)).toEqual(before.map((f) => f.id));
    expect(res.body.schema[2].id).toMatch(HEX16);
  });
});

describe("rename by id (REST)", () => {
  let titleId = "";
  beforeAll(async () => {
    const res = await t.request("POST", "/api/collections", {
      name: "posts",
      schema: [
        { name: "title", type: "text" },
        { name: "status", type: "text" },
      ],
      triggers: [
        { action: "create", url: "https://example.com/c" },
        { action: "update", url: "https://example.com/u" },
      ],
    });
    expect(res.status).toBe(200);
    titleId = res.body.schema[0].id;
    for (const [id, title] of [
      ["p1", "one"],
      ["p2", "two"],
    ])
      expect((await t.request("POST", "/api/collections/posts/records", { id, title, status: "draft" })).status).toBe(
        200,
      );
  });

  test("the column is renamed and every row keeps its value", async () => {
    const statusId = (await schemaOf("posts"))[1]!.id;
    const res = await t.request("PATCH", "/api/collections/posts", {
      schema: [
        { id: titleId, name: "headline", type: "text" },
        { id: statusId, name: "status", type: "text" },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.schema.map((f: any) => [f.id, f.name])).toEqual([
      [titleId, "headline"],
      [statusId, "status"],
    ]);
    expect(await columnsOf(t, "posts")).toEqual(["id", "created", "updated", "headline", "status"]);
    const records = (await t.request("GET", "/api/collections/posts/records?sort=id")).body.items;
    expect(records.map((r: any) => [r.id, r.headline, r.title])).toEqual([
      ["p1", "one", undefined],
      ["p2", "two", undefined],
    ]);
  });

  test("the capture triggers were rebuilt: payloads carry the new name, old and new record alike", async () => {
    expect((await t.request("PATCH", "/api/collections/posts/records/p1", { status: "published" })).status).toBe(200);
    const [update] = await payloads("posts", "update");
    expect(update.record).toMatchObject({ id: "p1", headline: "one", status: "published" });
    expect(update.oldRecord).toMatchObject({ id: "p1", headline: "one", status: "draft" });
    expect(update.record).not.toHaveProperty("title");
    expect((await t.request("POST", "/api/collections/posts/records", { id: "p3", headline: "three" })).status).toBe(
      200,
    );
    expect((await payloads("posts", "create")).at(-1).record).toMatchObject({ id: "p3", headline: "three" });
  });

  test("a raw SQL write after the rename is captured with the new name", async () => {
    await t.deps.db.execute("UPDATE posts SET headline = 'sql' WHERE id = 'p2'");
    expect((await payloads("posts", "update")).at(-1).record).toMatchObject({ id: "p2", headline: "sql" });
  });

  test("two fields swap names by id; each keeps its own data", async () => {
    const [h, s] = await schemaOf("posts");
    const res = await t.request("PATCH", "/api/collections/posts", {
      schema: [
        { id: h!.id, name: "status", type: "text" },
        { id: s!.id, name: "headline", type: "text" },
      ],
    });
    expect(res.status).toBe(200);
    const p1 = (await t.request("GET", "/api/collections/posts/records/p1")).body;
    expect(p1).toMatchObject({ status: "one", headline: "published" });
  });

  test("a case-only rename and an added field taking a renamed field's old name, in one update", async () => {
    const [st, hl] = await schemaOf("posts");
    const res = await t.request("PATCH", "/api/collections/posts", {
      schema: [
        { id: st!.id, name: "Status", type: "text" },
        { id: hl!.id, name: "summary", type: "text" },
        { name: "headline", type: "number" },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.schema[2].id).not.toBe(hl!.id);
    const p1 = (await t.request("GET", "/api/collections/posts/records/p1")).body;
    expect(p1).toMatchObject({ Status: "one", summary: "published", headline: null });
  });

  test("a rename that also changes the stored type is still refused, and nothing changes", async () => {
    const before = await schemaOf("posts");
    const res = await t.request("PATCH", "/api/collections/posts", {
      schema: [{ id: before[0]!.id, name: "flag", type: "bool" }, ...before.slice(1)],
    });
    expect(res.status).toBe(400);
    expect(res.body.data["schema.0.type"].code).toBe("type_change");
    expect(await schemaOf("posts")).toEqual(before);
  });

  test("a field without an id and a new name is still a drop and an add (today's meaning)", async () => {
    const before = await schemaOf("posts");
    const res = await t.request("PATCH", "/api/collections/posts", {
      schema: [{ name: "renamed_without_id", type: "text" }, ...before.slice(1)],
    });
    expect(res.status).toBe(200);
    expect((await t.request("GET", "/api/collections/posts/records/p1")).body.renamed_without_id).toBeNull();
  });
});

test("GraphQL: rename by id keeps the data and the webhook payload uses the new name", async () => {
  const created = await t.graphql(
    `mutation { createCollection(input: { name: "gq", fields: [{ name: "title", type: "text" }], triggers: [{ action: UPDATE, url: "https://example.com/u" }] }) { schema { id name } } }`,
  );
  const id = created.body.data.createCollection.schema[0].id;
  expect(id).toMatch(HEX16);
  expect((await t.request("POST", "/api/collections/gq/records", { id: "g1", title: "kept" })).status).toBe(200);
  const renamed = await t.graphql(
    `mutation($id: ID!) { updateCollection(name: "gq", input: { fields: [{ id: $id, name: "heading", type: "text" }] }) { schema { id name } } }`,
    { id },
  );
  expect(renamed.body.data.updateCollection.schema).toEqual([{ id, name: "heading" }]);
  const rec = await t.graphql(
    `mutation { updateRecord(collection: "gq", id: "g1", data: { heading: "kept, then edited" }) }`,
  );
  expect(rec.body.data.updateRecord).toMatchObject({ heading: "kept, then edited" });
  const [update] = await payloads("gq", "update");
  expect(update.oldRecord).toMatchObject({ heading: "kept" });
  expect(update.record).toMatchObject({ heading: "kept, then edited" });
});

test("a collection stored before fields had ids: each field shows a stable id, renames by it, and the id is then stored", async () => {
  expect(
    (await t.request("POST", "/api/collections", { name: "legacy", schema: [{ name: "Title", type: "text" }] })).status,
  ).toBe(200);
  expect((await t.request("POST", "/api/collections/legacy/records", { id: "l1", Title: "old data" })).status).toBe(
    200,
  );
  // What the previous release stored: fields without ids.
  await t.deps.db.execute(
    `UPDATE _collections SET schema = '[{"name":"Title","type":"text","required":false,"options":{}}]' WHERE name = 'legacy'`,
  );
  // Written behind the app's back: drop its cached definitions as a restart would.
  forgetCollections(t.deps.db);
  const [field] = await schemaOf("legacy");
  expect(field!.id).toBe("title");
  expect((await schemaOf("legacy"))[0]!.id).toBe("title");
  const res = await t.request("PATCH", "/api/collections/legacy", {
    schema: [{ id: "title", name: "subject", type: "text" }],
  });
  expect(res.status).toBe(200);
  expect((await t.request("GET", "/api/collections/legacy/records/l1")).body.subject).toBe("old data");
  const stored = (await t.deps.db.execute("SELECT schema FROM _collections WHERE name = 'legacy'")).rows[0]!.schema;
  expect(JSON.parse(String(stored))[0]).toMatchObject({ id: "title", name: "subject" });
});
