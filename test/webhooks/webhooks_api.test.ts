// Standalone webhooks over REST and GraphQL: CRUD, validation, triggering (the queued
// delivery row), and the reserved name "logs". Sending is covered by webhooks_delivery.
import { beforeAll, describe, expect, test } from "bun:test";
import { runScenarios, type Scenario } from "../support/scenario";
import { makeTestApp, type TestApp } from "../support/test_app";

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});

const hook = {
  name: "notify",
  url: "http://127.0.0.1:9/notify",
  method: "post",
  headers: { "X-Team": "ops" },
  body: { greeting: "hi" },
  retryLimit: 3,
  jwtEnabled: true,
};

async function logRow(id: string) {
  return { ...(await t.deps.db.execute({ sql: "SELECT * FROM _webhook_logs WHERE id = ?", args: [id] })).rows[0] };
}

describe("REST", () => {
  runScenarios(
    () => t,
    [
      {
        name: "create (method upper-cased, JSON body encoded, defaults filled in)",
        method: "POST",
        url: "/api/webhooks",
        body: hook,
        expectedStatus: 200,
        after: (_t, w) =>
          expect(w).toMatchObject({
            name: "notify",
            method: "POST",
            body: '{"greeting":"hi"}',
            contentType: "json",
            retryLimit: 3,
            jwtEnabled: true,
            timeoutMs: 15000,
            active: true,
          }),
      },
      {
        name: "create a text webhook",
        method: "POST",
        url: "/api/webhooks",
        body: { name: "plain", url: "http://127.0.0.1:9/p", contentType: "text", body: "hello" },
        expectedStatus: 200,
        expectedContent: ['"body":"hello"'],
      },
      {
        name: "list answers a plain array, by name",
        method: "GET",
        url: "/api/webhooks",
        expectedStatus: 200,
        after: (_t, list) => expect(list.map((w: any) => w.name)).toEqual(["notify", "plain"]),
      },
      {
        name: "get one",
        method: "GET",
        url: "/api/webhooks/notify",
        expectedStatus: 200,
        expectedContent: ['"X-Team":"ops"'],
      },
      {
        name: "patch keeps what it does not name",
        method: "PATCH",
        url: "/api/webhooks/plain",
        body: { active: false },
        expectedStatus: 200,
        expectedContent: ['"active":false', '"body":"hello"'],
      },
      {
        name: "trigger an inactive webhook → 409 that says so",
        method: "POST",
        url: "/api/webhooks/plain/trigger",
        expectedStatus: 409,
        expectedContent: ["CONFLICT", 'webhook \\"plain\\" is inactive'],
      },
      { name: "delete", method: "DELETE", url: "/api/webhooks/plain", expectedStatus: 204 },
      { name: "deleted is gone", method: "GET", url: "/api/webhooks/plain", expectedStatus: 404 },
    ],
  );

  test("GET /api/webhooks/logs is never read as a webhook named logs", async () => {
    const res = await t.request("GET", "/api/webhooks/logs");
    expect(JSON.stringify(res.body)).not.toContain('webhook \\"logs\\"');
  });
});

const errorCases: [string, unknown, number, string][] = [
  ["missing url", { name: "e1" }, 400, '"url":{'],
  ["bad url", { name: "e2", url: "not a url" }, 400, "http:// or https://"],
  ["bad method", { name: "e3", url: "http://x.test", method: "TELEPORT" }, 400, "method"],
  ["bad header name", { name: "e4", url: "http://x.test", headers: { "bad header": "x" } }, 400, "header"],
  ["retryLimit over 100", { name: "e5", url: "http://x.test", retryLimit: 101 }, 400, "retryLimit"],
  [
    "JSON content type with a non-JSON string body",
    { name: "e6", url: "http://x.test", body: "{oops" },
    400,
    "not valid JSON",
  ],
  ["the reserved name logs", { name: "logs", url: "http://x.test" }, 400, "reserved"],
  ["a name with a slash", { name: "a/b", url: "http://x.test" }, 400, "name"],
  ["missing name", { url: "http://x.test" }, 400, '"name":{'],
  ["active not a boolean", { name: "e7", url: "http://x.test", active: "yes" }, 400, "active"],
  ["duplicate name", hook, 409, 'a webhook named \\"notify\\" already exists'],
  ["a body that is not an object", "[1,2]", 400, "must be a JSON object"],
  ["malformed JSON", "{nope", 400, "not valid JSON"],
];

describe("REST errors", () => {
  runScenarios(
    () => t,
    [
      ...errorCases.map(
        ([name, body, status, says]): Scenario => ({
          name: `create: ${name} → ${status}`,
          method: "POST",
          url: "/api/webhooks",
          body,
          expectedStatus: status,
          expectedContent: [says],
        }),
      ),
      {
        name: "patch to an invalid url → 400",
        method: "PATCH",
        url: "/api/webhooks/notify",
        body: { url: "mailto:x@y.z" },
        expectedStatus: 400,
        expectedContent: ['"url":{'],
      },
      {
        name: "rename onto a taken name → 409",
        method: "PATCH",
        url: "/api/webhooks/notify",
        body: { name: "taken" },
        before: (t) => t.request("POST", "/api/webhooks", { name: "taken", url: "http://x.test" }),
        expectedStatus: 409,
        expectedContent: ['a webhook named \\"taken\\" already exists'],
      },
      {
        name: "unknown webhook → 404",
        method: "GET",
        url: "/api/webhooks/nope",
        expectedStatus: 404,
        expectedContent: ['webhook \\"nope\\" not found'],
      },
      { name: "trigger unknown → 404", method: "POST", url: "/api/webhooks/nope/trigger", expectedStatus: 404 },
      {
        name: "trigger with malformed JSON → 400",
        method: "POST",
        url: "/api/webhooks/notify/trigger",
        body: "{bad",
        expectedStatus: 400,
      },
      {
        name: "trigger with a non-JSON body → 415",
        method: "POST",
        url: "/api/webhooks/notify/trigger",
        headers: { authorization: "Bearer test-token", "content-type": "text/plain" },
        body: "x",
        expectedStatus: 415,
      },
    ],
  );
});

describe("trigger", () => {
  test("without a payload the stored body is queued, with source webhook and the webhook's settings", async () => {
    const res = await t.request("POST", "/api/webhooks/notify/trigger");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      webhook: "notify",
      status: "pending",
      logUrl: `/api/webhooks/logs/${res.body.deliveryId}`,
    });
    expect(await logRow(res.body.deliveryId)).toMatchObject({
      source: "webhook",
      webhook: "notify",
      collection: null,
      cron_job: null,
      status: "pending",
      url: "http://127.0.0.1:9/notify",
      method: "POST",
      payload: '{"greeting":"hi"}',
      content_type: "application/json",
      headers: '{"X-Team":"ops"}',
      jwt_enabled: 1,
      retry_limit: 3,
    });
  });

  test("a JSON payload replaces the body for that delivery only", async () => {
    const res = await t.request("POST", "/api/webhooks/notify/trigger", { event: "deploy", ok: true });
    expect((await logRow(res.body.deliveryId)).payload).toBe('{"event":"deploy","ok":true}');
    expect((await t.request("GET", "/api/webhooks/notify")).body.body).toBe('{"greeting":"hi"}');
  });

  test("a GET webhook sends no body", async () => {
    await t.request("POST", "/api/webhooks", {
      name: "probe",
      url: "http://127.0.0.1:9/probe",
      method: "GET",
      body: { ignored: true },
    });
    const res = await t.request("POST", "/api/webhooks/probe/trigger");
    expect((await logRow(res.body.deliveryId)).payload).toBeNull();
  });

  test("a form webhook encodes an object payload as key=value pairs", async () => {
    await t.request("POST", "/api/webhooks", {
      name: "form",
      url: "http://127.0.0.1:9/form",
      contentType: "form",
      body: { a: "1" },
    });
    const res = await t.request("POST", "/api/webhooks/form/trigger", { who: "me & you", n: 2 });
    expect(await logRow(res.body.deliveryId)).toMatchObject({
      payload: "who=me+%26+you&n=2",
      content_type: "application/x-www-form-urlencoded",
    });
  });
});

describe("GraphQL", () => {
  test("create, query, trigger with payload, update, delete", async () => {
    const created = await t.graphql(
      `mutation { createWebhook(input: { name: "gql", url: "http://127.0.0.1:9/g", body: {x: 1} }) { name body active } }`,
    );
    expect(created.body.data.createWebhook).toEqual({ name: "gql", body: '{"x":1}', active: true });
    const trig = await t.graphql(
      `mutation { triggerWebhook(name: "gql", payload: {y: [1, null]}) { deliveryId webhook status } }`,
    );
    expect(trig.body.data.triggerWebhook).toMatchObject({ webhook: "gql", status: "PENDING" });
    expect((await logRow(trig.body.data.triggerWebhook.deliveryId)).payload).toBe('{"y":[1,null]}');
    const q = await t.graphql(`{ webhook(name: "gql") { url } webhooks { name } }`);
    expect(q.body.data.webhook.url).toBe("http://127.0.0.1:9/g");
    expect(q.body.data.webhooks.map((w: any) => w.name)).toContain("gql");
    const upd = await t.graphql(`mutation { updateWebhook(name: "gql", input: { active: false }) { active url } }`);
    expect(upd.body.data.updateWebhook).toEqual({ active: false, url: "http://127.0.0.1:9/g" });
    const del = await t.graphql(`mutation { deleteWebhook(name: "gql") { name } }`);
    expect(del.body.data.deleteWebhook.name).toBe("gql");
  });

  test.each([
    ["bad url", `mutation { createWebhook(input: { name: "x", url: "nope" }) { name } }`, "VALIDATION"],
    [
      "reserved name",
      `mutation { createWebhook(input: { name: "logs", url: "http://x.test" }) { name } }`,
      "VALIDATION",
    ],
    [
      "duplicate name",
      `mutation { createWebhook(input: { name: "notify", url: "http://x.test" }) { name } }`,
      "CONFLICT",
    ],
    ["unknown webhook", `mutation { triggerWebhook(name: "nope") { deliveryId } }`, "NOT_FOUND"],
  ])("%s → extensions.code %s", async (_name, query, code) => {
    expect((await t.graphql(query)).body.errors[0].extensions.code).toBe(code);
  });

  test("inactive webhook → CONFLICT", async () => {
    await t.request("POST", "/api/webhooks", { name: "off", url: "http://x.test", active: false });
    expect(
      (await t.graphql(`mutation { triggerWebhook(name: "off") { deliveryId } }`)).body.errors[0].extensions.code,
    ).toBe("CONFLICT");
  });
});
