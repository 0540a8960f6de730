// Trigger identity (docs/delivery.md): ids generated or given, kept across updates (with their
// secret), id-less triggers taking over the stored one with the same action and URL,
// and deliveries that carry trigger_id.
import { beforeAll, describe, expect, test } from "bun:test";
import { makeTestApp, type TestApp } from "../support/test_app";

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});

const hook = "https://example.com/hook";
const triggersOf = async (name: string) => (await t.request("GET", `/api/collections/${name}`)).body.options.triggers;
const secretOf = async (name: string, id: string) =>
  (await t.request("GET", `/api/collections/${name}/triggers/${id}/secret`)).body.key;

describe("trigger ids", () => {
  test("generated when absent (16 hex digits), kept when given", async () => {
    const res = await t.request("POST", "/api/collections", {
      name: "posts",
      fields: [{ name: "title", type: "text" }],
      triggers: [
        { action: "create", url: hook },
        { id: "vski-1", action: "update", url: hook },
      ],
    });
    expect(res.status).toBe(200);
    const [a, b] = res.body.options.triggers;
    expect(a.id).toMatch(/^[0-9a-f]{16}$/);
    expect(b.id).toBe("vski-1");
    expect(a).toMatchObject({ paused: false, consecutiveFailures: 0, lastStatus: null, disabledAt: null });
  });

  test("a kept id keeps its secret; a trigger left out is deleted", async () => {
    const [a, b] = await triggersOf("posts");
    const secretA = await secretOf("posts", a.id);
    expect(secretA).toMatch(/^whsec_/);
    const res = await t.request("PATCH", "/api/collections/posts", {
      triggers: [{ ...a, url: "https://example.com/moved" }],
    });
    expect(res.status).toBe(200);
    expect(res.body.options.triggers.map((x: any) => x.id)).toEqual([a.id]);
    expect(await secretOf("posts", a.id)).toBe(secretA);
    expect((await t.request("GET", `/api/collections/posts/triggers/${b.id}/secret`)).status).toBe(404);
  });

  test("a trigger sent without an id takes over the stored one with the same action and url", async () => {
    const [a] = await triggersOf("posts");
    const secretA = await secretOf("posts", a.id);
    const res = await t.request("PATCH", "/api/collections/posts", {
      options: JSON.stringify({
        triggers: [
          { action: "INSERT", url: "https://example.com/moved" },
          { action: "delete", url: hook },
        ],
      }),
    });
    const [kept, added] = res.body.options.triggers;
    expect(kept.id).toBe(a.id);
    expect(await secretOf("posts", a.id)).toBe(secretA);
    expect(added.id).not.toBe(a.id);
  });

  test("a new id on update is a new trigger with a new secret", async () => {
    const before = await triggersOf("posts");
    const res = await t.request("PATCH", "/api/collections/posts", {
      triggers: [...before, { id: "fresh_2", action: "update", url: hook }],
    });
    expect(res.status).toBe(200);
    expect(await secretOf("posts", "fresh_2")).toMatch(/^whsec_/);
  });

  const bad: [string, unknown, string][] = [
    ["an id with a space", [{ id: "a b", action: "create", url: hook }], "triggers.0.id"],
    ["a 65-character id", [{ id: "x".repeat(65), action: "create", url: hook }], "triggers.0.id"],
    [
      "a duplicate id",
      [
        { id: "same", action: "create", url: hook },
        { id: "same", action: "update", url: hook },
      ],
      "triggers.1.id",
    ],
    ["a malformed secret", [{ action: "create", url: hook, secret: "not-a-secret" }], "triggers.0.secret"],
    [
      "a secret that is too short",
      [{ action: "create", url: hook, secret: `whsec_${Buffer.alloc(8).toString("base64")}` }],
      "triggers.0.secret",
    ],
    ["paused that is not a boolean", [{ action: "create", url: hook, paused: "yes" }], "triggers.0.paused"],
  ];
  for (const [name, triggers, field] of bad) {
    test(`${name} is a 400 naming ${field}, and nothing changes`, async () => {
      const before = await triggersOf("posts");
      const res = await t.request("PATCH", "/api/collections/posts", { triggers });
      expect(res.status).toBe(400);
      expect(res.body.data[field]).toBeDefined();
      expect(await triggersOf("posts")).toEqual(before);
    });
  }
});

describe("deliveries", () => {
  test("record trigger_id and are listed with it", async () => {
    await t.request("POST", "/api/collections", {
      name: "events",
      fields: [{ name: "title", type: "text" }],
      triggers: [{ id: "on-create", action: "create", url: hook }],
    });
    await t.request("POST", "/api/collections/events/records", { title: "x" });
    const logs = await t.request("GET", "/api/webhooks/logs?collection=events");
    expect(logs.body.items[0]).toMatchObject({ trigger_id: "on-create", status: "pending" });
    const gql = await t.graphql(`{ webhookLogs(collection: "events") { items { triggerId } } }`);
    expect(gql.body.data.webhookLogs.items[0].triggerId).toBe("on-create");
  });

  test("a write through raw SQL is captured with the trigger id too", async () => {
    await t.deps.db.execute("INSERT INTO events (title) VALUES ('from sql')");
    const rs = await t.deps.db.execute(
      "SELECT trigger_id, target FROM _webhook_logs WHERE collection = 'events' ORDER BY rowid DESC LIMIT 1",
    );
    expect(rs.rows[0]!.trigger_id).toBe("on-create");
    expect(String(rs.rows[0]!.target)).toMatch(/^trigger:[0-9a-f]{16}:on-create$/);
  });
});

describe("attempts listing", () => {
  test("a delivery not yet attempted answers an empty page; an unknown one is a 404, in REST and GraphQL", async () => {
    const id = (await t.request("GET", "/api/webhooks/logs?collection=events")).body.items[0].id;
    expect((await t.request("GET", `/api/webhooks/logs/${id}/attempts?perPage=5`)).body).toEqual({
      page: 1,
      perPage: 5,
      totalItems: 0,
      totalPages: 0,
      items: [],
    });
    const missing = await t.request("GET", "/api/webhooks/logs/nope/attempts");
    expect(missing.status).toBe(404);
    expect((await t.graphql(`{ webhookLog(id: "${id}") { attempts { n } } }`)).body.data.webhookLog.attempts).toEqual(
      [],
    );
  });
});
