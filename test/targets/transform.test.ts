// Transformations (docs/control.md) through the API and a real dispatcher and receiver: the body a
// receiver gets is the expression's result, signed so that standardwebhooks verifies it; the
// $request form changes URL, method and headers; syntax errors are 400s with the position;
// run-time errors and loops fail the attempt, final; the preview answers what would be sent.
import { afterAll, describe, expect, test } from "bun:test";
import { Webhook } from "standardwebhooks";
import { type LogRow, makeDispatchingApp, makeHookedCollection, waitForLogs } from "../support/deliveries";
import { startReceiver } from "../support/receiver";

const receiver = startReceiver();
const other = startReceiver();
const t = await makeDispatchingApp();
afterAll(async () => {
  await t.dispatcher.stop();
  await receiver.stop();
  await other.stop();
});

const CHAT = `{ "text": "New post: " & record.title }`;
const finished = (rows: LogRow[]) =>
  rows.length > 0 && rows.every((r) => r.status !== "pending" && r.status !== "processing");

describe("a trigger with a transform", () => {
  test("sends the expression's result, signed over the body sent (standardwebhooks verifies it)", async () => {
    await makeHookedCollection(t, "posts", [{ id: "chat", action: "create", url: receiver.url, transform: CHAT }]);
    await t.request("POST", "/api/collections/posts/records", { title: "Hello" });
    const [req] = await receiver.waitFor(1);
    expect(req!.json).toEqual({ text: "New post: Hello" });
    const key = (await t.request("GET", "/api/collections/posts/triggers/chat/secret")).body.key;
    expect(() => new Webhook(key).verify(req!.body, req!.headers, { jsonParse: false })).not.toThrow();
    const [row] = await waitForLogs(t.deps, "collection = 'posts'", finished);
    expect(row!.status).toBe("success");
  });

  test("a string result is sent as it is", async () => {
    receiver.requests.length = 0;
    await t.request("PATCH", "/api/collections/posts/triggers/chat", { transform: `"title=" & record.title` });
    await t.request("POST", "/api/collections/posts/records", { title: "plain" });
    const [req] = await receiver.waitFor(1);
    expect(req!.body).toBe("title=plain");
  });

  test("$request overrides the URL, method and headers", async () => {
    other.requests.length = 0;
    await t.request("PATCH", "/api/collections/posts/triggers/chat", {
      transform: `{ "$request": { "url": "${other.url}/moved", "method": "PUT", "headers": { "X-Kind": action }, "body": { "t": record.title } } }`,
    });
    await t.request("POST", "/api/collections/posts/records", { title: "over" });
    const [req] = await other.waitFor(1);
    expect(req).toMatchObject({ method: "PUT", path: "/moved", json: { t: "over" } });
    expect(req!.headers["x-kind"]).toBe("create");
  });

  test("a run-time error fails the attempt at once, with the error recorded (no retry)", async () => {
    await t.request("PATCH", "/api/collections/posts/triggers/chat", { transform: `$error("no way")` });
    await t.request("POST", "/api/collections/posts/records", { title: "boom" });
    const rows = await waitForLogs(
      t.deps,
      "collection = 'posts' AND record_id IN (SELECT id FROM posts WHERE title = 'boom')",
      finished,
    );
    expect(rows[0]).toMatchObject({ status: "failed", tries: 1 });
    expect(rows[0]!.error_msg).toContain("the transform failed");
    expect(rows[0]!.error_msg).toContain("no way");
  });

  test("an expression that loops is stopped by the time limit and fails, final", async () => {
    await t.request("PATCH", "/api/collections/posts/triggers/chat", {
      transform: "( $loop := function($i){ $i < 1000000000 ? $loop($i + 1) : $i }; $loop(0) )",
    });
    await t.request("POST", "/api/collections/posts/records", { title: "loop" });
    const rows = await waitForLogs(
      t.deps,
      "collection = 'posts' AND record_id IN (SELECT id FROM posts WHERE title = 'loop')",
      finished,
    );
    expect(rows[0]).toMatchObject({ status: "failed", tries: 1 });
    expect(rows[0]!.error_msg).toContain("D1012");
  });
});

describe("webhooks and cron jobs", () => {
  test("a webhook's transform shapes the body it is triggered with", async () => {
    receiver.requests.length = 0;
    const made = await t.request("POST", "/api/webhooks", {
      name: "deploys",
      url: receiver.url,
      transform: `{ "text": "Deployed " & version }`,
    });
    expect(made.body.transform).toBe(`{ "text": "Deployed " & version }`);
    await t.request("POST", "/api/webhooks/deploys/trigger", { version: "1.2.3" });
    const [req] = await receiver.waitFor(1);
    expect(req!.json).toEqual({ text: "Deployed 1.2.3" });
  });

  const syntax: [string, string, unknown, string][] = [
    [
      "a trigger",
      "/api/collections",
      { name: "bad", triggers: [{ action: "create", url: "https://example.com", transform: '{ "a": 1' }] },
      "triggers.0.transform",
    ],
    [
      "one trigger",
      "/api/collections/posts/triggers",
      { action: "create", url: "https://example.com", transform: "1 +" },
      "transform",
    ],
    ["a webhook", "/api/webhooks", { name: "w2", url: "https://example.com", transform: "(" }, "transform"],
    [
      "a cron job",
      "/api/cron",
      { name: "c2", schedule: "* * * * *", type: "http", url: "https://example.com", transform: "]" },
      "transform",
    ],
  ];
  for (const [what, path, body, field] of syntax) {
    test(`a syntax error in ${what}'s transform is a 400 naming ${field} with the position`, async () => {
      const res = await t.request("POST", path, body);
      expect(res.status).toBe(400);
      expect(res.body.data[field].message).toMatch(/^at position \d+: /);
    });
  }

  test("GraphQL shows and takes transform, rateLimit and maxInFlight", async () => {
    const res = await t.graphql(
      `mutation { updateWebhook(name: "deploys", input: { rateLimit: 5, maxInFlight: 2 }) { transform rateLimit maxInFlight } }`,
    );
    expect(res.body.data.updateWebhook).toEqual({
      transform: `{ "text": "Deployed " & version }`,
      rateLimit: 5,
      maxInFlight: 2,
    });
  });
});

describe("POST /api/transform/preview and previewTransform", () => {
  test("answer the body an event would send", async () => {
    const res = await t.request("POST", "/api/transform/preview", {
      transform: CHAT,
      event: { action: "create", record: { title: "Hi" } },
    });
    expect(res.body).toEqual({ url: null, method: null, headers: null, body: '{"text":"New post: Hi"}' });
  });

  test("answer what a logged delivery would send, with its URL and method", async () => {
    const [row] = await waitForLogs(t.deps, "collection = 'posts'", (rows) => rows.length > 0);
    const res = await t.request("POST", "/api/transform/preview", { transform: CHAT, logId: row!.id });
    expect(res.body).toMatchObject({ url: receiver.url, method: "POST", body: '{"text":"New post: Hello"}' });
  });

  test("answer a run-time error with its position; a syntax error is a 400 naming transform", async () => {
    const failed = await t.request("POST", "/api/transform/preview", { transform: `1 + "a"`, event: {} });
    expect(failed.status).toBe(200);
    expect(failed.body.error).toMatchObject({ position: expect.any(Number) });
    const bad = await t.request("POST", "/api/transform/preview", { transform: "{", event: {} });
    expect(bad.status).toBe(400);
    expect(bad.body.data.transform.message).toMatch(/^at position \d+/);
  });

  test("GraphQL previewTransform", async () => {
    const res = await t.graphql(
      `query($e: JSON) { previewTransform(transform: "record.title", event: $e) { body error } }`,
      {
        e: { record: { title: "x" } },
      },
    );
    expect(res.body.data.previewTransform).toEqual({ body: "x", error: null });
  });
});
