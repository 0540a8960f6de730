// GET /api/openapi.json (docs/api.md): public, OpenAPI 3.1, every REST route with its parameters,
// bodies, answers and errors. Real answers of a request to every route are held against the
// document; every route refuses a parameter it does not know.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { schemaProblems } from "../support/json_schema";
import { tempDbUrl } from "../support/temp_db";
import { makeTestApp, type TestApp } from "../support/test_app";

let t: TestApp;
let doc: any;
beforeAll(async () => {
  // A file database, so backups can be made.
  t = await makeTestApp({ dbUrl: tempDbUrl(), backupDir: mkdtempSync(join(tmpdir(), "hookd-openapi-")) });
  const res = await t.app.fetch(new Request("http://hookd.test/api/openapi.json"));
  expect(res.status).toBe(200);
  doc = await res.json();
});
afterAll(() => t.deps.db.close());

const HOOK = "http://127.0.0.1:9/hook";
const exercised = new Set<string>();

/** call sends a request and holds its answer against the document's schema for that route and status. */
async function call(method: string, path: string, body?: unknown, want = 200): Promise<any> {
  const res = await t.request(method, path, body);
  if (res.status !== want) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  const match = t.app.routes().find((r) => r.method === method && matches(r.pattern, path.split("?")[0]!));
  if (!match) throw new Error(`no route for ${method} ${path}`);
  exercised.add(`${method} ${match.pattern}`);
  const op = doc.paths[match.pattern.replace(/:(\w+)/g, "{$1}")][method.toLowerCase()];
  const answer = op.responses[String(res.status)];
  expect(answer).toBeDefined();
  const media = Object.keys(answer.content ?? {})[0];
  if (media === "application/json") {
    const problems = schemaProblems(res.body, answer.content[media].schema, doc);
    if (problems.length) throw new Error(`${method} ${path} answer breaks the document:\n${problems.join("\n")}`);
  }
  return res.body;
}

function matches(pattern: string, path: string): boolean {
  const p = pattern.split("/");
  const s = path.split("/");
  return p.length === s.length && p.every((part, i) => part.startsWith(":") || part === s[i]);
}

describe("the document", () => {
  test("is OpenAPI 3.1, public, and lists every REST route with an answer or 204", async () => {
    const res = await t.app.fetch(new Request("http://hookd.test/api/openapi.json"));
    expect(res.status).toBe(200);
    expect(doc.openapi).toBe("3.1.0");
    for (const route of t.app.routes()) {
      const op = doc.paths[route.pattern.replace(/:(\w+)/g, "{$1}")]?.[route.method.toLowerCase()];
      expect(op, `${route.method} ${route.pattern}`).toBeDefined();
      expect(op.responses["200"] ?? op.responses["204"]).toBeDefined();
    }
    expect(doc.paths["/api/collections/{name}/records"].get.parameters.map((p: any) => p.name)).toEqual([
      "name",
      "page",
      "perPage",
      "filter",
      "sort",
      "skipTotal",
      "fields",
      "expand",
    ]);
    expect(doc.components.schemas.Error.required).toEqual(["status", "code", "message", "data"]);
    // Every reference resolves, and operation ids are unique.
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    for (const name of new Set(refs)) expect(doc.components.schemas[name], name).toBeDefined();
    const ids = Object.values(doc.paths).flatMap((ops: any) => Object.values(ops).map((op: any) => op.operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe("real answers fit the document", () => {
  test("every route, called as a client would", async () => {
    await call("GET", "/healthz");
    await call("GET", "/.well-known/jwks.json");
    await call("GET", "/metrics");
    await call("GET", "/api/openapi.json");
    const trigger = { id: "t1", action: "create", url: HOOK };
    await call("POST", "/api/collections", {
      name: "posts",
      schema: [{ name: "title", type: "text" }],
      triggers: [trigger],
    });
    await call("POST", "/api/collections", { name: "gone" });
    await call("GET", "/api/collections?perPage=5&sort=name&fields=id,name");
    await call("GET", "/api/collections/posts");
    await call("PATCH", "/api/collections/posts", {
      schema: [
        { name: "title", type: "text" },
        { name: "n", type: "number" },
      ],
    });
    const test = await call("POST", "/api/collections/posts/triggers/t1/test");
    await call("GET", "/api/collections/posts/triggers/t1/secret");
    await call("POST", "/api/collections/posts/triggers/t1/secret/rotate", { gracePeriodSeconds: 0 });
    await call("POST", "/api/collections/posts/records", { id: "r1", title: "one", n: 1 });
    await call("POST", "/api/collections/posts/records?fields=id", { id: "r2", title: "two" });
    await call("GET", "/api/collections/posts/records?filter=n>0&sort=-created&skipTotal=1");
    await call("GET", "/api/collections/posts/records/r1?fields=title");
    await call("PATCH", "/api/collections/posts/records/r1", { n: 2 });
    await call("PATCH", "/api/collections/posts/records/bulk", { ids: ["r1", "r2"], data: { n: 3 } });
    await call("DELETE", "/api/collections/posts/records/bulk", { ids: ["r2"] });
    await call("DELETE", "/api/collections/posts/records/r1", undefined, 204);
    await call("DELETE", "/api/collections/gone", undefined, 204);
    await call("POST", "/api/collections/posts/triggers", { id: "t2", action: "update", url: HOOK });
    await call("GET", "/api/collections/posts/triggers/t2");
    await call("PATCH", "/api/collections/posts/triggers/t2", { timeoutMs: 3000 });
    await call("DELETE", "/api/collections/posts/triggers/t2", undefined, 204);

    await call("POST", "/api/webhooks", { name: "w", url: HOOK });
    await call("POST", "/api/webhooks", { name: "w2", url: HOOK });
    await call("GET", "/api/webhooks");
    await call("GET", "/api/webhooks/w");
    await call("PATCH", "/api/webhooks/w", { timeoutMs: 5000 });
    await call("POST", "/api/webhooks/w/trigger", { hello: "world" });
    await call("GET", "/api/webhooks/w/secret");
    await call("POST", "/api/webhooks/w/secret/rotate");
    await call("DELETE", "/api/webhooks/w2", undefined, 204);

    await call("POST", "/api/cron", { name: "c", schedule: "0 0 * * *", type: "http", url: HOOK });
    await call("POST", "/api/cron", { name: "s", schedule: "0 0 * * *", type: "sql", sql: "SELECT 1" });
    await call("GET", "/api/cron");
    await call("GET", "/api/cron/c");
    await call("PATCH", "/api/cron/c", { schedule: "0 1 * * *" });
    await call("POST", "/api/cron/s/run");
    await call("POST", "/api/cron/s/stop", undefined, 409); // nothing in progress
    await call("GET", "/api/cron/s/runs");
    await call("GET", "/api/cron/c/secret");
    await call("POST", "/api/cron/c/secret/rotate", {});
    await call("DELETE", "/api/cron/s", undefined, 204);

    await call("GET", "/api/webhooks/logs?since=-1h&status=pending");
    await call("GET", `/api/webhooks/logs/${test.deliveryId}`);
    await call("GET", `/api/webhooks/logs/${test.deliveryId}/attempts`);
    await call("POST", "/api/webhooks/logs/cancel", { filter: { status: "pending" } });
    await call("POST", `/api/webhooks/logs/${test.deliveryId}/retry`);
    await call("POST", "/api/webhooks/logs/retry", { filter: { source: "webhook" } });
    await call("POST", `/api/webhooks/logs/${test.deliveryId}/cancel`);
    await call("POST", `/api/webhooks/logs/${test.deliveryId}/resend`);
    await call("POST", "/api/transform/preview", { transform: "{ 'n': record.n }", event: { record: { n: 1 } } });
    await call("GET", "/api/stats/deliveries?hours=2");

    const backup = await call("POST", "/api/backups");
    await call("GET", "/api/backups");
    await call("GET", `/api/backups/${backup.name}`);
    await call("DELETE", `/api/backups/${backup.name}`, undefined, 204);

    const key = await call("POST", "/api/keys", { name: "reader", scopes: ["logs:read"] });
    await call("GET", "/api/keys");
    await call("GET", "/api/keys/self");
    await call("DELETE", `/api/keys/${key.id}`, undefined, 204);

    // Errors answer the one shape, as the document says.
    await call("GET", "/api/collections/nope", undefined, 404);
    await call("GET", "/api/webhooks/logs?page=0&status=done", undefined, 400);
    await call("POST", "/api/webhooks", { name: "bad", url: "nope" }, 400);

    const missed = t.app
      .routes()
      .map((r) => `${r.method} ${r.pattern}`)
      .filter((r) => !exercised.has(r));
    expect(missed, "routes nothing here calls: add a call above (and give the route its answer)").toEqual([]);
  });
});

test("every route refuses a query parameter it does not know, before doing anything", async () => {
  await t.request("POST", "/api/collections", { name: "p2", schema: [] });
  for (const route of t.app.routes()) {
    const path = route.pattern.replace(":name", "p2").replace(/:\w+/g, "x");
    const res = await t.request(route.method, `${path}?bogus=1`);
    expect(res.status, `${route.method} ${route.pattern}`).toBe(400);
    expect(res.body.data.bogus.code).toBe("unknown_parameter");
  }
  expect((await t.request("GET", "/api/collections/p2")).status).toBe(200);
});
