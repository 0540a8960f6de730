// One trigger at a time (docs/control.md): GET/PATCH/DELETE /api/collections/:name/triggers/:id and
// POST /api/collections/:name/triggers, PATCH merging; and the id-less matching rule of a
// collection's trigger list that lets a VSKI client fix a URL and keep its secret and queue.
import { beforeAll, describe, expect, test } from "bun:test";
import { makeTestApp, type TestApp } from "../support/test_app";

let t: TestApp;
const hook = "https://example.com/hook";
const triggersOf = async (name: string) => (await t.request("GET", `/api/collections/${name}`)).body.options.triggers;
const secretOf = async (name: string, id: string) =>
  (await t.request("GET", `/api/collections/${name}/triggers/${id}/secret`)).body.key;

beforeAll(async () => {
  t = await makeTestApp();
  await t.request("POST", "/api/collections", {
    name: "posts",
    fields: [{ name: "title", type: "text" }],
    triggers: [{ id: "t1", action: "create", url: hook, headers: { "X-Team": "blue" }, timeoutMs: 5000 }],
  });
});

describe("one trigger", () => {
  test("POST adds one, keeping the others; GET reads it with its health", async () => {
    const res = await t.request("POST", "/api/collections/posts/triggers", { action: "update", url: hook });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ action: "update", url: hook, paused: false, consecutiveFailures: 0 });
    expect((await triggersOf("posts")).map((x: { id: string }) => x.id)).toEqual(["t1", res.body.id]);
    const got = await t.request("GET", `/api/collections/posts/triggers/${res.body.id}`);
    expect(got.body).toEqual(res.body);
  });

  test("PATCH merges: the keys left out keep their value, the secret is kept", async () => {
    const secret = await secretOf("posts", "t1");
    const res = await t.request("PATCH", "/api/collections/posts/triggers/t1", { url: "https://example.com/moved" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: "t1",
      action: "create",
      url: "https://example.com/moved",
      headers: { "X-Team": "blue" },
      timeoutMs: 5000,
    });
    expect(await secretOf("posts", "t1")).toBe(secret);
  });

  test("PATCH paused pauses that trigger only", async () => {
    const res = await t.request("PATCH", "/api/collections/posts/triggers/t1", { paused: true });
    expect(res.body.paused).toBe(true);
    const [, other] = await triggersOf("posts");
    expect(other.paused).toBe(false);
    await t.request("PATCH", "/api/collections/posts/triggers/t1", { paused: false });
  });

  const bad: [string, string, string, unknown, string][] = [
    ["a bad url", "PATCH", "t1", { url: "not a url" }, "url"],
    ["an unknown key", "PATCH", "t1", { colour: "red" }, "colour"],
    ["a condition on no field", "PATCH", "t1", { condition: "nope = 1" }, "condition"],
    ["another id", "PATCH", "t1", { id: "t2" }, "id"],
    ["a missing action", "POST", "", { url: hook }, "action"],
    ["a taken id", "POST", "", { id: "t1", action: "create", url: hook }, "id"],
  ];
  for (const [name, method, id, body, field] of bad) {
    test(`${method} with ${name} is a 400 naming ${field}; nothing changes`, async () => {
      const before = await triggersOf("posts");
      const res = await t.request(method, `/api/collections/posts/triggers${id ? `/${id}` : ""}`, body);
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.data)).toEqual([field]);
      expect(await triggersOf("posts")).toEqual(before);
    });
  }

  test("an unknown trigger or collection is a 404", async () => {
    expect((await t.request("GET", "/api/collections/posts/triggers/nope")).status).toBe(404);
    expect((await t.request("PATCH", "/api/collections/posts/triggers/nope", { url: hook })).status).toBe(404);
    expect((await t.request("DELETE", "/api/collections/posts/triggers/nope")).status).toBe(404);
    expect((await t.request("POST", "/api/collections/nope/triggers", { action: "create", url: hook })).status).toBe(
      404,
    );
  });

  test("GraphQL trigger, addTrigger, updateTrigger and deleteTrigger", async () => {
    const added = await t.graphql(
      `mutation { addTrigger(collection: "posts", input: {id: "g1", action: DELETE, url: "${hook}"}) { id action } }`,
    );
    expect(added.body.data.addTrigger).toEqual({ id: "g1", action: "DELETE" });
    const changed = await t.graphql(
      `mutation { updateTrigger(collection: "posts", id: "g1", input: {timeoutMs: 2000}) { id action timeoutMs } }`,
    );
    expect(changed.body.data.updateTrigger).toEqual({ id: "g1", action: "DELETE", timeoutMs: 2000 });
    const read = await t.graphql(`{ trigger(collection: "posts", id: "g1") { url } }`);
    expect(read.body.data.trigger.url).toBe(hook);
    expect((await t.graphql(`mutation { deleteTrigger(collection: "posts", id: "g1") }`)).body.data).toEqual({
      deleteTrigger: true,
    });
  });

  test("DELETE removes one trigger and its secret; the others stay", async () => {
    const [, other] = await triggersOf("posts");
    expect((await t.request("DELETE", `/api/collections/posts/triggers/${other.id}`)).status).toBe(204);
    expect((await triggersOf("posts")).map((x: { id: string }) => x.id)).toEqual(["t1"]);
    expect((await t.request("GET", `/api/collections/posts/triggers/${other.id}/secret`)).status).toBe(404);
  });
});

describe("an id-less trigger in a collection's list", () => {
  test("takes over the one stored trigger of its action left unmatched (a VSKI client fixing a URL)", async () => {
    await t.request("POST", "/api/collections", {
      name: "vski",
      fields: [{ name: "title", type: "text" }],
      triggers: [
        { action: "create", url: "https://example.com/a" },
        { action: "create", url: "https://example.com/b" },
        { action: "delete", url: "https://example.com/d" },
      ],
    });
    const [a, b, d] = await triggersOf("vski");
    const secretB = await secretOf("vski", b.id);
    const res = await t.request("PATCH", "/api/collections/vski", {
      triggers: [
        { action: "create", url: "https://example.com/a" },
        { action: "create", url: "https://example.com/b-fixed" },
        { action: "delete", url: "https://example.com/d" },
      ],
    });
    expect(res.body.options.triggers.map((x: { id: string }) => x.id)).toEqual([a.id, b.id, d.id]);
    expect(await secretOf("vski", b.id)).toBe(secretB);
  });

  test("is a new trigger when two stored ones of its action are left unmatched", async () => {
    const [a, b] = await triggersOf("vski");
    const res = await t.request("PATCH", "/api/collections/vski", {
      triggers: [{ action: "create", url: "https://example.com/c" }],
    });
    const [only] = res.body.options.triggers;
    expect([a.id, b.id]).not.toContain(only.id);
  });
});
