// Admin auth: every API route and GraphQL needs the token (Bearer or X-API-Key); /healthz
// and the JWKS are public; a generated token is stored only as a hash and printed once.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeTestApp, TOKEN, type TestApp } from "../support/test_app";
import { ADMIN, runScenarios, send, type Scenario } from "../support/scenario";

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
  await t.request("POST", "/api/collections", { name: "posts", schema: [{ name: "title", type: "text" }] });
  const rec = await t.request("POST", "/api/collections/posts/records", { id: "rec1", title: "hello" });
  expect(rec.status).toBe(200);
});
afterAll(() => t.deps.db.close());

// Every API route, implemented here or not: the token is checked before routing.
const PROTECTED: [string, string, unknown?][] = [
  ["GET", "/api/collections"],
  ["POST", "/api/collections", { name: "x" }],
  ["GET", "/api/collections/posts"],
  ["PATCH", "/api/collections/posts", { name: "renamed" }],
  ["DELETE", "/api/collections/posts"],
  ["GET", "/api/collections/posts/records"],
  ["POST", "/api/collections/posts/records", { title: "x" }],
  ["PATCH", "/api/collections/posts/records/bulk", { ids: ["rec1"], data: { title: "x" } }],
  ["DELETE", "/api/collections/posts/records/bulk", { ids: ["rec1"] }],
  ["GET", "/api/collections/posts/records/rec1"],
  ["PATCH", "/api/collections/posts/records/rec1", { title: "x" }],
  ["DELETE", "/api/collections/posts/records/rec1"],
  ["GET", "/api/webhooks/logs"],
  ["GET", "/api/webhooks/logs/abc"],
  ["POST", "/api/webhooks/logs/abc/retry"],
  ["GET", "/api/webhooks"],
  ["POST", "/api/webhooks", { name: "w", url: "https://example.com" }],
  ["GET", "/api/webhooks/w"],
  ["PATCH", "/api/webhooks/w", {}],
  ["DELETE", "/api/webhooks/w"],
  ["POST", "/api/webhooks/w/trigger", {}],
  ["GET", "/api/cron"],
  ["POST", "/api/cron", { name: "c" }],
  ["GET", "/api/cron/c"],
  ["PATCH", "/api/cron/c", {}],
  ["DELETE", "/api/cron/c"],
  ["POST", "/api/cron/c/run"],
  ["GET", "/api/cron/c/runs"],
  ["GET", "/api/no-such-route"],
  ["POST", "/graphql", { query: "{ collections { totalItems } }" }],
  ["POST", "/graphql", { query: 'mutation { deleteCollection(name: "posts") { id } }' }],
  ["GET", `/graphql?query=${encodeURIComponent("{ collections { totalItems } }")}`],
];

const WRONG_CREDENTIALS: [string, Record<string, string>][] = [
  ["no token", {}],
  ["wrong Bearer token", { authorization: "Bearer not-the-token" }],
  ["wrong X-API-Key", { "x-api-key": "not-the-token" }],
  ["token with another scheme", { authorization: `Basic ${TOKEN}` }],
  ["empty Bearer", { authorization: "Bearer " }],
  ["token prefix only", { authorization: `Bearer ${TOKEN.slice(0, -1)}` }],
];

describe("401 without a valid token", () => {
  runScenarios(
    () => t,
    PROTECTED.flatMap(([method, url, body]) =>
      WRONG_CREDENTIALS.map(
        ([how, headers]): Scenario => ({
          name: `${method} ${url.split("?")[0]} with ${how}`,
          method,
          url,
          headers,
          body,
          expectedStatus: 401,
          expectedContent: [
            '"code":"UNAUTHORIZED"',
            '"status":401',
            ...(url.startsWith("/graphql") ? ['"errors":[{', '"extensions":{"code":"UNAUTHORIZED"'] : []),
          ],
          notExpectedContent: url.startsWith("/graphql") ? [] : ['"errors"'],
        }),
      ),
    ),
  );

  test("nothing was changed by the refused requests", async () => {
    const rec = await t.request("GET", "/api/collections/posts/records/rec1");
    expect(rec.status).toBe(200);
    expect(rec.body.title).toBe("hello");
  });
});

describe("the token works as Bearer and as X-API-Key", () => {
  runScenarios(
    () => t,
    [
      {
        name: "Bearer",
        method: "GET",
        url: "/api/collections",
        headers: { authorization: `Bearer ${TOKEN}` },
        expectedStatus: 200,
        expectedContent: ['"totalItems":1'],
      },
      {
        name: "bearer in lower case",
        method: "GET",
        url: "/api/collections",
        headers: { authorization: `bearer ${TOKEN}` },
        expectedStatus: 200,
      },
      {
        name: "X-API-Key",
        method: "GET",
        url: "/api/collections/posts/records/rec1",
        headers: { "x-api-key": TOKEN },
        expectedStatus: 200,
        expectedContent: ['"title":"hello"'],
      },
      {
        name: "X-API-Key on GraphQL",
        method: "POST",
        url: "/graphql",
        headers: { "x-api-key": TOKEN },
        body: { query: "{ collections { totalItems } }" },
        expectedStatus: 200,
        expectedContent: ['"totalItems":1'],
      },
      {
        name: "Bearer on GraphQL",
        method: "POST",
        url: "/graphql",
        headers: ADMIN,
        body: { query: '{ collection(name: "posts") { name } }' },
        expectedStatus: 200,
        expectedContent: ['"name":"posts"'],
      },
      {
        name: "x-dbname header is ignored",
        method: "GET",
        url: "/api/collections",
        headers: { ...ADMIN, "x-dbname": "other" },
        expectedStatus: 200,
      },
    ],
  );
});

describe("public endpoints", () => {
  runScenarios(
    () => t,
    [
      {
        name: "healthz without token",
        method: "GET",
        url: "/healthz",
        headers: {},
        expectedStatus: 200,
        expectedContent: ['"status":"ok"', '"version"'],
      },
      {
        name: "healthz with a wrong token",
        method: "GET",
        url: "/healthz",
        headers: { authorization: "Bearer nope" },
        expectedStatus: 200,
      },
      {
        name: "jwks without token",
        method: "GET",
        url: "/.well-known/jwks.json",
        headers: {},
        expectedStatus: 200,
        expectedContent: ['"keys":[', '"kid"'],
        notExpectedContent: ['"d":'],
      },
      {
        name: "POST to healthz is not allowed",
        method: "POST",
        url: "/healthz",
        headers: {},
        body: {},
        expectedStatus: 405,
        expectedContent: ['"code":"METHOD_NOT_ALLOWED"'],
      },
    ],
  );
});

describe("generated admin token", () => {
  const dir = mkdtempSync(join(tmpdir(), "hookd-auth-"));
  const dbFile = join(dir, "hookd.db");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("the first start generates a token, stores only its hash, and it works", async () => {
    const printed: string[] = [];
    const first = await makeTestApp(
      { dbUrl: `file:${dbFile}`, adminToken: undefined },
      { onAdminToken: (tok) => printed.push(tok) },
    );
    try {
      expect(printed).toHaveLength(1);
      const token = printed[0]!;
      expect(token.length).toBeGreaterThanOrEqual(24);
      expect(token).not.toBe(TOKEN);

      // The plaintext is in no table, only its SHA-256 hash is in _settings.
      const hash = new Bun.CryptoHasher("sha256").update(token).digest("hex");
      const stored = await first.deps.db.execute("SELECT key, value FROM _settings");
      expect(stored.rows.map((r) => String(r.value))).toContain(hash);
      const tables = await first.deps.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'");
      for (const { name } of tables.rows) {
        const rows = await first.deps.db.execute(`SELECT * FROM "${String(name)}"`);
        expect(JSON.stringify(rows.rows)).not.toContain(token);
      }

      const ok = await send(first, {
        method: "GET",
        url: "/api/collections",
        headers: { authorization: `Bearer ${token}` },
      });
      expect(ok.status).toBe(200);
      const okKey = await send(first, { method: "GET", url: "/api/collections", headers: { "x-api-key": token } });
      expect(okKey.status).toBe(200);
      const old = await send(first, { method: "GET", url: "/api/collections", headers: ADMIN });
      expect(old.status).toBe(401);
    } finally {
      first.deps.db.close();
    }
    for (const file of readdirSync(dir)) expect(readFileSync(join(dir, file)).includes(printed[0]!)).toBe(false);

    // A second start on the same database prints nothing and accepts the same token.
    const again: string[] = [];
    const second = await makeTestApp(
      { dbUrl: `file:${dbFile}`, adminToken: undefined },
      { onAdminToken: (tok) => again.push(tok) },
    );
    try {
      expect(again).toHaveLength(0);
      const ok = await send(second, {
        method: "GET",
        url: "/api/collections",
        headers: { authorization: `Bearer ${printed[0]}` },
      });
      expect(ok.status).toBe(200);
      const wrong = await send(second, {
        method: "GET",
        url: "/api/collections",
        headers: { authorization: "Bearer guess" },
      });
      expect(wrong.status).toBe(401);
    } finally {
      second.deps.db.close();
    }
  });

  test("HOOKD_ADMIN_TOKEN wins over a stored hash and nothing is printed", async () => {
    const printed: string[] = [];
    const app = await makeTestApp(
      { dbUrl: `file:${dbFile}`, adminToken: "configured-token" },
      { onAdminToken: (tok) => printed.push(tok) },
    );
    try {
      expect(printed).toHaveLength(0);
      expect(
        (await send(app, { method: "GET", url: "/api/collections", headers: { "x-api-key": "configured-token" } }))
          .status,
      ).toBe(200);
    } finally {
      app.deps.db.close();
    }
  });
});
