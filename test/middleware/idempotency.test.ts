// Idempotency-Key (docs/control.md) on record creates, bulk record writes and webhook triggers: the
// same key and request answer the first answer and write nothing more, whether repeated at
// once, after a restart or on another instance; another request under the key is a 409; keys
// belong to their caller and go after a day.
import { afterAll, describe, expect, test } from "bun:test";
import { runRetentionPass } from "../../src/deliveries/log_retention";
import { bearer, mintKeyFor } from "../support/keys";
import { tempDbUrl } from "../support/temp_db";
import { makeTestApp } from "../support/test_app";

const url = tempDbUrl();
const t = await makeTestApp({ dbUrl: url });
afterAll(() => t.deps.db.close());
await t.request("POST", "/api/collections", { name: "posts", fields: [{ name: "title", type: "text" }] });
await t.request("POST", "/api/webhooks", { name: "ping", url: "http://127.0.0.1:9/hook", body: { a: 1 } });

const key = (k: string) => ({ "idempotency-key": k });
const count = async (sql: string) => Number((await t.deps.db.execute(sql)).rows[0]!.n);
const records = () => count("SELECT count(*) AS n FROM posts");

describe("a record create with an Idempotency-Key", () => {
  test("repeated ten times at once writes one record; every answer is the first", async () => {
    const before = await records();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        t.request("POST", "/api/collections/posts/records", { title: "once" }, key("create-1")),
      ),
    );
    expect(await records()).toBe(before + 1);
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect(answers.filter((a) => a.headers.get("idempotent-replayed") === "true").length).toBe(9);
  });

  test("the same key with another body is a 409 and writes nothing", async () => {
    const before = await records();
    const res = await t.request("POST", "/api/collections/posts/records", { title: "other" }, key("create-1"));
    expect(res).toMatchObject({ status: 409, body: { code: "IDEMPOTENCY_CONFLICT" } });
    expect(await records()).toBe(before);
  });

  test("the same key on another collection's path is another request: 409", async () => {
    await t.request("POST", "/api/collections", { name: "notes", fields: [{ name: "title", type: "text" }] });
    const res = await t.request("POST", "/api/collections/notes/records", { title: "once" }, key("create-1"));
    expect(res.status).toBe(409);
  });

  test("a refused request frees its key: the corrected one runs", async () => {
    const bad = await t.request("POST", "/api/collections/posts/records", { nope: 1 }, key("fix-me"));
    expect(bad.status).toBe(400);
    const good = await t.request("POST", "/api/collections/posts/records", { title: "fixed" }, key("fix-me"));
    expect(good.status).toBe(200);
  });

  test("keys belong to their caller: an API key's same key is its own", async () => {
    const apiKey = await mintKeyFor(t, ["records:write"]);
    const before = await records();
    const res = await t.request(
      "POST",
      "/api/collections/posts/records",
      { title: "once" },
      { ...bearer(apiKey), ...key("create-1") },
    );
    expect(res.status).toBe(200);
    expect(await records()).toBe(before + 1);
  });

  test("a key that is not 1-255 visible ASCII characters is a 400 naming Idempotency-Key", async () => {
    for (const bad of ["x".repeat(256), "two words"]) {
      const res = await t.request("POST", "/api/collections/posts/records", { title: "x" }, key(bad));
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.data)).toEqual(["Idempotency-Key"]);
    }
  });

  test("holds across a restart and on a second instance of the same database", async () => {
    const first = await t.request("POST", "/api/collections/posts/records", { title: "durable" }, key("durable"));
    const before = await records();
    const other = await makeTestApp({ dbUrl: url });
    try {
      const again = await other.request("POST", "/api/collections/posts/records", { title: "durable" }, key("durable"));
      expect(again.body).toEqual(first.body);
      expect(await records()).toBe(before);
    } finally {
      other.deps.db.close();
    }
  });

  test("a key older than a day is pruned by retention and may be used afresh", async () => {
    await t.deps.db.execute(
      "UPDATE _idempotency_keys SET created_at = '2000-01-01T00:00:00.000Z' WHERE key = 'durable'",
    );
    const before = await records();
    const res = await t.request("POST", "/api/collections/posts/records", { title: "durable" }, key("durable"));
    expect(res.headers.get("idempotent-replayed")).toBeNull();
    expect(await records()).toBe(before + 1);
    await t.deps.db.execute(
      "UPDATE _idempotency_keys SET created_at = '2000-01-01T00:00:00.000Z' WHERE key = 'fix-me'",
    );
    await runRetentionPass(t.deps);
    expect(await count("SELECT count(*) AS n FROM _idempotency_keys WHERE key = 'fix-me'")).toBe(0);
    expect(await count("SELECT count(*) AS n FROM _idempotency_keys WHERE key = 'durable'")).toBe(1);
  });
});

describe("bulk writes and webhook triggers with an Idempotency-Key", () => {
  test("a bulk update repeated answers the first answer", async () => {
    const made = await t.request("POST", "/api/collections/posts/records", { title: "b" });
    const body = { ids: [made.body.id], data: { title: "bulk" } };
    const first = await t.request("PATCH", "/api/collections/posts/records/bulk", body, key("bulk-1"));
    const again = await t.request("PATCH", "/api/collections/posts/records/bulk", body, key("bulk-1"));
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
  });

  test("a webhook trigger repeated at once queues one delivery", async () => {
    const deliveries = () => count("SELECT count(*) AS n FROM _webhook_logs WHERE webhook = 'ping'");
    const before = await deliveries();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => t.request("POST", "/api/webhooks/ping/trigger", undefined, key("ping-1"))),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(5).fill(200));
    expect(await deliveries()).toBe(before + 1);
  });
});

describe("GraphQL idempotencyKey", () => {
  test("createRecord repeated at once writes once and answers the first record", async () => {
    const before = await records();
    const q = `mutation { createRecord(collection: "posts", data: {title: "gql"}, idempotencyKey: "gql-1") }`;
    const answers = await Promise.all(Array.from({ length: 5 }, () => t.graphql(q)));
    expect(await records()).toBe(before + 1);
    expect(new Set(answers.map((a) => a.body.data.createRecord.id)).size).toBe(1);
    const other = await t.graphql(
      `mutation { createRecord(collection: "posts", data: {title: "else"}, idempotencyKey: "gql-1") }`,
    );
    expect(other.body.errors[0].extensions.code).toBe("IDEMPOTENCY_CONFLICT");
  });

  test("triggerWebhook with a key queues one delivery", async () => {
    const deliveries = () => count("SELECT count(*) AS n FROM _webhook_logs WHERE webhook = 'ping'");
    const before = await deliveries();
    const q = `mutation { triggerWebhook(name: "ping", idempotencyKey: "gql-ping") { deliveryId } }`;
    const [a, b] = [await t.graphql(q), await t.graphql(q)];
    expect(b.body.data.triggerWebhook.deliveryId).toBe(a.body.data.triggerWebhook.deliveryId);
    expect(await deliveries()).toBe(before + 1);
  });
});

test("the OpenAPI document names the Idempotency-Key header on the routes that take it", async () => {
  const doc = (await t.request("GET", "/api/openapi.json")).body;
  const takes = (path: string, method: string) =>
    (doc.paths[path][method].parameters ?? []).some((p: { name: string }) => p.name === "Idempotency-Key");
  expect(takes("/api/collections/{name}/records", "post")).toBe(true);
  expect(takes("/api/collections/{name}/records/bulk", "patch")).toBe(true);
  expect(takes("/api/webhooks/{name}/trigger", "post")).toBe(true);
  expect(takes("/api/collections/{name}/records/{id}", "patch")).toBe(false);
});
