// Signing secrets (docs/delivery.md, docs/api.md): generated or given, read and rotated through their own
// endpoints in REST and GraphQL, refused when malformed, and absent from every other answer.
import { beforeAll, describe, expect, test } from "bun:test";
import { randomBytes } from "node:crypto";
import { makeTestApp, type TestApp } from "../support/test_app";

let t: TestApp;
const given = `whsec_${randomBytes(32).toString("base64")}`;
const url = "http://127.0.0.1:9/hook";

beforeAll(async () => {
  t = await makeTestApp();
  await t.request("POST", "/api/collections", {
    name: "posts",
    fields: [{ name: "title", type: "text" }],
    triggers: [
      { id: "t1", action: "create", url },
      { id: "t2", action: "update", url, secret: given },
    ],
  });
  await t.request("POST", "/api/webhooks", { name: "notify", url });
  await t.request("POST", "/api/cron", { name: "ping", schedule: "0 * * * *", type: "http", url });
});

const BASES = ["/api/collections/posts/triggers/t1", "/api/webhooks/notify", "/api/cron/ping"];

describe("REST", () => {
  for (const base of BASES) {
    test(`${base}/secret answers a whsec_ secret of 32 bytes`, async () => {
      const res = await t.request("GET", `${base}/secret`);
      expect(res.status).toBe(200);
      expect(res.body.key).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(Buffer.from(res.body.key.slice(6), "base64").length).toBe(32);
    });

    test(`${base}/secret/rotate with no body makes a new secret`, async () => {
      const before = (await t.request("GET", `${base}/secret`)).body.key;
      const res = await t.request("POST", `${base}/secret/rotate`);
      expect(res.status).toBe(200);
      expect(res.body.key).not.toBe(before);
      expect((await t.request("GET", `${base}/secret`)).body.key).toBe(res.body.key);
    });
  }

  test("a secret given on create is the one answered", async () => {
    expect((await t.request("GET", "/api/collections/posts/triggers/t2/secret")).body.key).toBe(given);
  });

  test("rotate to a given key with a grace period", async () => {
    const key = `whsec_${randomBytes(24).toString("base64")}`;
    const res = await t.request("POST", "/api/webhooks/notify/secret/rotate", { key, gracePeriodSeconds: 604800 });
    expect(res.body).toEqual({ key });
    const row = (
      await t.deps.db.execute(
        "SELECT previous_key, previous_expires_at FROM _target_secrets WHERE target LIKE 'webhook:%'",
      )
    ).rows[0]!;
    expect(row.previous_key).not.toBeNull();
    expect(Date.parse(String(row.previous_expires_at)) - Date.now()).toBeGreaterThan(604_000_000);
  });

  const refusals: [string, string, unknown, number, string][] = [
    ["a malformed key", "/api/webhooks/notify/secret/rotate", { key: "whsec_???" }, 400, "key"],
    [
      "a key without the whsec_ prefix",
      "/api/cron/ping/secret/rotate",
      { key: randomBytes(32).toString("base64") },
      400,
      "key",
    ],
    [
      "a key of 65 bytes",
      "/api/cron/ping/secret/rotate",
      { key: `whsec_${randomBytes(65).toString("base64")}` },
      400,
      "key",
    ],
    [
      "a grace period over 7 days",
      "/api/webhooks/notify/secret/rotate",
      { gracePeriodSeconds: 604801 },
      400,
      "gracePeriodSeconds",
    ],
    [
      "a negative grace period",
      "/api/webhooks/notify/secret/rotate",
      { gracePeriodSeconds: -1 },
      400,
      "gracePeriodSeconds",
    ],
    [
      "a grace period that is not a number",
      "/api/webhooks/notify/secret/rotate",
      { gracePeriodSeconds: "1d" },
      400,
      "gracePeriodSeconds",
    ],
  ];
  for (const [name, path, body, status, field] of refusals) {
    test(`${name} is a ${status} naming ${field}, and the secret stays`, async () => {
      const base = path.replace("/rotate", "");
      const before = (await t.request("GET", base)).body.key;
      const res = await t.request("POST", path, body);
      expect(res.status).toBe(status);
      expect(res.body.data[field]).toBeDefined();
      expect((await t.request("GET", base)).body.key).toBe(before);
    });
  }

  const missing: [string, string][] = [
    ["an unknown trigger id", "/api/collections/posts/triggers/nope/secret"],
    ["an unknown collection", "/api/collections/nope/triggers/t1/secret"],
    ["an unknown webhook", "/api/webhooks/nope/secret"],
    ["an unknown cron job", "/api/cron/nope/secret/rotate"],
  ];
  for (const [name, path] of missing) {
    test(`${name} is a 404`, async () => {
      const res = await t.request(path.endsWith("rotate") ? "POST" : "GET", path);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe("NOT_FOUND");
    });
  }

  test("a webhook or cron job given a malformed secret is a 400 naming secret", async () => {
    for (const [path, body] of [
      ["/api/webhooks", { name: "bad", url, secret: "whsec_x" }],
      ["/api/cron", { name: "bad", schedule: "* * * * *", type: "http", url, secret: 42 }],
    ] as const) {
      const res = await t.request("POST", path, body);
      expect(res.status).toBe(400);
      expect(res.body.data.secret).toBeDefined();
    }
  });

  test("a secret given on webhook update replaces the current one", async () => {
    const key = `whsec_${randomBytes(40).toString("base64")}`;
    expect((await t.request("PATCH", "/api/webhooks/notify", { secret: key })).status).toBe(200);
    expect((await t.request("GET", "/api/webhooks/notify/secret")).body.key).toBe(key);
  });
});

describe("GraphQL", () => {
  test("reads and rotates secrets of triggers, webhooks and cron jobs", async () => {
    const read = await t.graphql(
      `{ triggerSecret(collection: "posts", id: "t2") { key } webhookSecret(name: "notify") { key } cronJobSecret(name: "ping") { key } }`,
    );
    expect(read.body.data.triggerSecret.key).toBe(given);
    const key = `whsec_${randomBytes(32).toString("base64")}`;
    const rotated = await t.graphql(
      `mutation($key: String) { rotateTriggerSecret(collection: "posts", id: "t2", key: $key, gracePeriodSeconds: 0) { key } rotateWebhookSecret(name: "notify") { key } rotateCronJobSecret(name: "ping", gracePeriodSeconds: 60) { key } }`,
      { key },
    );
    expect(rotated.body.data.rotateTriggerSecret.key).toBe(key);
    expect(rotated.body.data.rotateWebhookSecret.key).not.toBe(read.body.data.webhookSecret.key);
    expect(rotated.body.data.rotateCronJobSecret.key).not.toBe(read.body.data.cronJobSecret.key);
  });

  test("bad inputs are VALIDATION and NOT_FOUND, as in REST", async () => {
    const grace = await t.graphql(
      `mutation { rotateWebhookSecret(name: "notify", gracePeriodSeconds: 700000) { key } }`,
    );
    expect(grace.body.errors[0].extensions).toMatchObject({ code: "VALIDATION", data: { gracePeriodSeconds: {} } });
    const key = await t.graphql(`mutation { rotateCronJobSecret(name: "ping", key: "whsec_abc") { key } }`);
    expect(key.body.errors[0].extensions).toMatchObject({ code: "VALIDATION", data: { key: {} } });
    const unknown = await t.graphql(`{ triggerSecret(collection: "posts", id: "nope") { key } }`);
    expect(unknown.body.errors[0].extensions.code).toBe("NOT_FOUND");
  });
});

describe("enabling", () => {
  test("an unknown trigger, webhook or cron job is NOT_FOUND", async () => {
    for (const q of [
      `mutation { enableTrigger(collection: "posts", id: "nope") { name } }`,
      `mutation { enableWebhook(name: "nope") { name } }`,
      `mutation { enableCronJob(name: "nope") { name } }`,
    ]) {
      expect((await t.graphql(q)).body.errors[0].extensions.code).toBe("NOT_FOUND");
    }
  });
});

describe("never answered elsewhere", () => {
  test("no list, get or log answer contains a secret, in REST or GraphQL", async () => {
    await t.request("POST", "/api/collections/posts/records", { title: "x" });
    await t.request("POST", "/api/webhooks/notify/trigger", { hello: 1 });
    const secrets = await Promise.all(
      BASES.concat("/api/collections/posts/triggers/t2").map(async (b) =>
        (await t.request("GET", `${b}/secret`)).body.key.slice(6),
      ),
    );
    const answers = await Promise.all(
      [
        "/api/collections",
        "/api/collections/posts",
        "/api/webhooks",
        "/api/webhooks/notify",
        "/api/cron",
        "/api/cron/ping",
        "/api/webhooks/logs",
      ].map((p) => t.request("GET", p)),
    );
    const gql = await t.graphql(
      `{ collections { items { triggers { id url } options } } webhooks { name } cronJobs { name } webhookLogs { items { payload url } } }`,
    );
    const text = JSON.stringify([answers.map((a) => a.body), gql.body]);
    expect(text).toContain("posts");
    for (const s of secrets) expect(text).not.toContain(s);
    const stored = JSON.stringify((await t.deps.db.execute("SELECT * FROM _collections")).rows);
    expect(stored).not.toContain("whsec_");
  });
});
