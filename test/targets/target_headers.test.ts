// Headers a trigger, webhook or cron job cannot have sent as it gives them — set by hookd
// (webhook-id/-timestamp/-signature), computed or dropped by the HTTP client (Content-Length,
// Transfer-Encoding), about the connection (Connection, Keep-Alive, TE, Upgrade…), or replaced by
// the JWT (Authorization while jwtEnabled) — are a
// 400 naming `headers.<Name>`, over REST and GraphQL, with nothing written. Headers that do
// arrive as given (Host among them) stay allowed: a raw receiver shows what is sent.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createServer, type Server } from "node:net";
import { makeDispatchingApp, settled, waitForLogs, type DispatchingApp } from "../support/deliveries";

let t: DispatchingApp;
beforeAll(async () => {
  t = await makeDispatchingApp();
  expect((await t.request("POST", "/api/webhooks", { name: "kept", url: "http://127.0.0.1:9/k" })).status).toBe(200);
  const basic = { name: "basic", url: "http://127.0.0.1:9/b", headers: { Authorization: "Basic dTpw" } };
  expect((await t.request("POST", "/api/webhooks", basic)).status).toBe(200);
});
afterAll(() => t.dispatcher.stop());

const http = { schedule: "0 2 * * *", type: "http", url: "http://127.0.0.1:9/c" };
const trigger = { action: "create", url: "http://127.0.0.1:9/t" };

// [what, method, path, body, the field named]
const REFUSED: [string, string, string, unknown, string][] = [
  [
    "webhook, Content-Length",
    "POST",
    "/api/webhooks",
    { name: "w1", url: "http://x.test", headers: { "Content-Length": "5" } },
    "headers.Content-Length",
  ],
  [
    "webhook, any case",
    "POST",
    "/api/webhooks",
    { name: "w2", url: "http://x.test", headers: { "TRANSFER-ENCODING": "chunked" } },
    "headers.TRANSFER-ENCODING",
  ],
  [
    "webhook update",
    "PATCH",
    "/api/webhooks/kept",
    { headers: { "webhook-signature": "v1,abc" } },
    "headers.webhook-signature",
  ],
  ["cron job", "POST", "/api/cron", { ...http, name: "c1", headers: { "webhook-id": "mine" } }, "headers.webhook-id"],
  [
    "cron job, Connection",
    "POST",
    "/api/cron",
    { ...http, name: "c2", headers: { Connection: "close" } },
    "headers.Connection",
  ],
  [
    "trigger",
    "POST",
    "/api/collections",
    {
      name: "posts",
      fields: [{ name: "title", type: "text" }],
      triggers: [{ ...trigger, headers: { "webhook-timestamp": "1" } }],
    },
    "triggers.0.headers.webhook-timestamp",
  ],
  [
    "trigger, Upgrade",
    "POST",
    "/api/collections",
    {
      name: "posts",
      fields: [{ name: "title", type: "text" }],
      triggers: [{ ...trigger, headers: { Upgrade: "websocket" } }],
    },
    "triggers.0.headers.Upgrade",
  ],
  [
    "webhook with a JWT, Authorization",
    "POST",
    "/api/webhooks",
    { name: "w3", url: "http://x.test", jwtEnabled: true, headers: { Authorization: "Basic dTpw" } },
    "headers.Authorization",
  ],
  [
    "turning the JWT on over a stored Authorization",
    "PATCH",
    "/api/webhooks/basic",
    { jwtEnabled: true },
    "headers.Authorization",
  ],
  [
    "cron job with a JWT, authorization",
    "POST",
    "/api/cron",
    { ...http, name: "c3", jwtEnabled: true, headers: { authorization: "Bearer mine" } },
    "headers.authorization",
  ],
  [
    "trigger with a JWT",
    "POST",
    "/api/collections",
    {
      name: "posts",
      fields: [{ name: "title", type: "text" }],
      triggers: [{ ...trigger, jwtEnabled: true, headers: { Authorization: "Basic dTpw" } }],
    },
    "triggers.0.headers.Authorization",
  ],
];

describe("REST: a header that cannot be sent as given is a 400 naming it", () => {
  for (const [what, method, path, body, field] of REFUSED) {
    test(what, async () => {
      const res = await t.request(method, path, body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe("VALIDATION");
      expect(Object.keys(res.body.data)).toContain(field);
      expect(res.body.data[field].message).toStartWith("cannot be set:");
    });
  }

  test("nothing was written", async () => {
    expect((await t.request("GET", "/api/webhooks/kept")).body.headers).toEqual({});
    expect((await t.request("GET", "/api/webhooks/basic")).body.jwtEnabled).toBe(false);
    for (const path of ["/api/webhooks/w1", "/api/cron/c1", "/api/collections/posts"])
      expect((await t.request("GET", path)).status).toBe(404);
  });
});

test("GraphQL: the same rule, the same field", async () => {
  const res = await t.graphql("mutation ($input: WebhookInput!) { createWebhook(input: $input) { name } }", {
    input: { name: "g1", url: "http://x.test", headers: { "Keep-Alive": "timeout=5" } },
  });
  expect(res.body.errors[0].extensions.code).toBe("VALIDATION");
  expect(Object.keys(res.body.errors[0].extensions.data)).toEqual(["headers.Keep-Alive"]);
});

describe("headers that arrive as given stay allowed", () => {
  let server: Server;
  const received: string[] = [];
  beforeAll(async () => {
    server = createServer((socket) => {
      let head = "";
      socket.on("data", (chunk) => {
        head += chunk.toString();
        if (!head.includes("\r\n\r\n")) return;
        received.push(head);
        socket.end("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  });
  afterAll(() => new Promise((done) => server.close(done)));

  test("Host, Content-Type, User-Agent, Authorization (without a JWT), a custom one", async () => {
    const headers = {
      Host: "virtual.example",
      "Content-Type": "text/plain",
      "User-Agent": "mine/1",
      Authorization: "Basic dTpw",
      "X-Custom": "yes",
    };
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/in`;
    expect((await t.request("POST", "/api/webhooks", { name: "plain", url, headers })).status).toBe(200);
    const { body } = await t.request("POST", "/api/webhooks/plain/trigger", { n: 1 });
    const [log] = await waitForLogs(t.deps, `id = '${body.deliveryId}'`, settled);
    expect(log!.status).toBe("success");
    // Names are case-insensitive (hookd sends them lower-cased); values arrive exactly.
    const lines = received[0]!.split("\r\n").map((l) => l.replace(/^[^:]+/, (name) => name.toLowerCase()));
    for (const [name, value] of Object.entries(headers)) expect(lines).toContain(`${name.toLowerCase()}: ${value}`);
  });
});
