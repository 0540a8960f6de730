// API keys (docs/security.md) over REST and GraphQL: shown once, stored only as a hash, listed with
// their use and expiry, revoked at once; a keys:write key cannot give what it does not hold;
// bad scopes are a 400 naming scopes.N; SQL cron jobs are the admin's; target header values
// only for secrets:read.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { bearer, mintKeyFor } from "../support/keys";
import { send } from "../support/scenario";
import { makeTestApp, type TestApp } from "../support/test_app";

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(() => t.deps.db.close());

const as = (key: string, method: string, url: string, body?: unknown) =>
  send(t, { method, url, body, headers: bearer(key) });

describe("making, listing and revoking", () => {
  test("the key is answered once as hk_…, stored only as its SHA-256", async () => {
    const made = await t.request("POST", "/api/keys", { name: "app", scopes: ["records:write:posts", "logs:read"] });
    expect(made.status).toBe(200);
    expect(made.body).toMatchObject({ name: "app", scopes: ["logs:read", "records:write:posts"], lastUsed: null });
    expect(made.body.key).toMatch(/^hk_[A-Za-z0-9_-]{43}$/);
    const stored = await t.deps.db.execute("SELECT * FROM _api_keys");
    expect(JSON.stringify(stored.rows)).not.toContain(made.body.key);
    expect(JSON.stringify(stored.rows)).toContain(new Bun.CryptoHasher("sha256").update(made.body.key).digest("hex"));
    const listed = await t.request("GET", "/api/keys");
    const entry = listed.body.find((k: { id: string }) => k.id === made.body.id);
    expect(entry).toEqual({
      id: made.body.id,
      name: "app",
      scopes: ["logs:read", "records:write:posts"],
      created: made.body.created,
      lastUsed: null,
      expiresAt: null,
    });
    expect(JSON.stringify(listed.body)).not.toContain("hk_");
  });

  test("using a key records when it was last used", async () => {
    const key = await mintKeyFor(t, ["logs:read"], "used");
    expect((await as(key, "GET", "/api/webhooks/logs")).status).toBe(200);
    const listed = await t.request("GET", "/api/keys");
    const entry = listed.body.find((k: { name: string }) => k.name === "used");
    expect(Date.parse(entry.lastUsed)).toBeGreaterThan(Date.parse(entry.created) - 1);
  });

  test("a revoked key is refused at once", async () => {
    const made = await t.request("POST", "/api/keys", { name: "gone", scopes: ["logs:read"] });
    expect((await as(made.body.key, "GET", "/api/webhooks/logs")).status).toBe(200);
    expect((await t.request("DELETE", `/api/keys/${made.body.id}`)).status).toBe(204);
    const after = await as(made.body.key, "GET", "/api/webhooks/logs");
    expect(after.status).toBe(401);
    expect(after.json.code).toBe("UNAUTHORIZED");
    expect((await t.request("DELETE", `/api/keys/${made.body.id}`)).status).toBe(404);
  });

  test("an expired key is a 401 that says so", async () => {
    const soon = new Date(Date.now() + 60_000).toISOString();
    const made = await t.request("POST", "/api/keys", { name: "short", scopes: ["logs:read"], expiresAt: soon });
    expect(made.body.expiresAt).toBe(soon);
    await t.deps.db.execute({
      sql: "UPDATE _api_keys SET expires_at = ? WHERE id = ?",
      args: [new Date(Date.now() - 1000).toISOString(), made.body.id],
    });
    // The instance re-reads a cached key within HOOKD_POLL_MS; this key was never used, so it reads it now.
    const res = await as(made.body.key, "GET", "/api/webhooks/logs");
    expect(res.status).toBe(401);
    expect(res.json.message).toContain("expired");
  });

  test("GET /api/keys/self answers any caller its own scopes", async () => {
    const key = await mintKeyFor(t, ["cron:read", "logs:read"], "viewer");
    const self = await as(key, "GET", "/api/keys/self");
    expect(self.status).toBe(200);
    expect(self.json).toMatchObject({ name: "viewer", scopes: ["cron:read", "logs:read"], expiresAt: null });
    const admin = await t.request("GET", "/api/keys/self");
    expect(admin.body).toEqual({ id: "admin", name: "admin token", scopes: ["admin"], expiresAt: null });
  });
});

describe("what a request may ask", () => {
  const BAD: [string, unknown, string][] = [
    ["an unknown scope", { name: "k", scopes: ["logs:read", "logs:delete"] }, "scopes.1"],
    ["a scope that cannot be narrowed", { name: "k", scopes: ["cron:read:nightly"] }, "scopes.0"],
    ["a narrowed scope with a bad name", { name: "k", scopes: ["records:read:a/b"] }, "scopes.0"],
    ["no scopes", { name: "k", scopes: [] }, "scopes"],
    ["scopes that are not a list", { name: "k", scopes: "admin" }, "scopes"],
    ["no name", { scopes: ["logs:read"] }, "name"],
    ["an expiry in the past", { name: "k", scopes: ["logs:read"], expiresAt: "2001-01-01T00:00:00Z" }, "expiresAt"],
    ["an expiry that is not a time", { name: "k", scopes: ["logs:read"], expiresAt: "tomorrow" }, "expiresAt"],
    ["an unknown key", { name: "k", scopes: ["logs:read"], scope: "x" }, "scope"],
  ];
  test.each(BAD)("%s is a 400 naming the field, and nothing is made", async (_what, body, field) => {
    const before = (await t.request("GET", "/api/keys")).body.length;
    const res = await t.request("POST", "/api/keys", body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("VALIDATION");
    expect(Object.keys(res.body.data)).toContain(field);
    expect((await t.request("GET", "/api/keys")).body.length).toBe(before);
  });

  test("a keys:write key can give only scopes it holds", async () => {
    const minter = await mintKeyFor(t, ["keys:write", "records:read"]);
    const ok = await as(minter, "POST", "/api/keys", { name: "child", scopes: ["records:read:posts", "keys:write"] });
    expect(ok.status).toBe(200);
    for (const scope of ["records:write:posts", "admin", "secrets:read"]) {
      const res = await as(minter, "POST", "/api/keys", { name: "escalate", scopes: ["records:read", scope] });
      expect(res.status).toBe(403);
      expect(res.json).toMatchObject({ code: "FORBIDDEN", data: { scope: { message: scope } } });
    }
  });

  test("a keys:write key cannot revoke a key holding more than it does", async () => {
    const minter = await mintKeyFor(t, ["keys:write"]);
    const strong = await t.request("POST", "/api/keys", { name: "strong", scopes: ["admin"] });
    const res = await as(minter, "DELETE", `/api/keys/${strong.body.id}`);
    expect(res.status).toBe(403);
    expect(res.json.data.scope.message).toBe("admin");
  });
});

describe("SQL cron jobs belong to admin", () => {
  const sqlJob = { name: "nightly", schedule: "0 3 * * *", type: "sql", sql: "SELECT 1" };
  const httpJob = { name: "ping", schedule: "0 3 * * *", type: "http", url: "http://127.0.0.1:9/x" };

  test("a cron:write key cannot create or change a SQL job, nor turn an HTTP job into one", async () => {
    const key = await mintKeyFor(t, ["cron:write", "cron:read"]);
    const created = await as(key, "POST", "/api/cron", sqlJob);
    expect(created.status).toBe(403);
    expect(created.json.data.scope.message).toBe("admin");
    expect((await as(key, "POST", "/api/cron", httpJob)).status).toBe(200);
    expect((await as(key, "PATCH", "/api/cron/ping", { type: "sql", sql: "SELECT 1" })).status).toBe(403);
    expect((await t.request("POST", "/api/cron", sqlJob)).status).toBe(200);
    expect((await as(key, "PATCH", "/api/cron/nightly", { schedule: "0 4 * * *" })).status).toBe(403);
    const gql = await t.request(
      "POST",
      "/graphql",
      {
        query:
          'mutation { createCronJob(input: {name: "g", schedule: "0 3 * * *", type: "sql", sql: "SELECT 1"}) { name } }',
      },
      bearer(key),
    );
    expect(gql.body.errors[0].extensions).toMatchObject({ code: "FORBIDDEN", status: 403 });
  });
});

describe("target header values need secrets:read", () => {
  const SECRET = "Bearer supersecret123";
  beforeAll(async () => {
    await t.request("POST", "/api/collections", {
      name: "sec",
      schema: [{ name: "title", type: "text" }],
      options: { triggers: [{ action: "create", url: "http://127.0.0.1:9/h", headers: { Authorization: SECRET } }] },
    });
    await t.request("POST", "/api/webhooks", {
      name: "sec",
      url: "http://127.0.0.1:9/h",
      headers: { "X-Key": SECRET },
    });
    await t.request("POST", "/api/cron", {
      ...{ name: "sec", schedule: "0 3 * * *", type: "http" },
      url: "http://127.0.0.1:9/h",
      headers: { "X-Key": SECRET },
    });
  });

  const READS: [string, string][] = [
    ["GET", "/api/collections"],
    ["GET", "/api/collections/sec"],
    ["GET", "/api/webhooks"],
    ["GET", "/api/webhooks/sec"],
    ["GET", "/api/cron"],
    ["GET", "/api/cron/sec"],
  ];
  test.each(READS)("%s %s masks them for a key without secrets:read, not for one with it", async (method, url) => {
    const reader = await mintKeyFor(t, ["collections:read", "webhooks:read", "cron:read"]);
    const masked = await as(reader, method, url);
    expect(masked.status).toBe(200);
    expect(masked.text).not.toContain("supersecret123");
    expect(masked.text).toContain("••••••••");
    const trusted = await mintKeyFor(t, ["collections:read", "webhooks:read", "cron:read", "secrets:read"]);
    expect((await as(trusted, method, url)).text).toContain("supersecret123");
  });

  test("GraphQL masks them the same way", async () => {
    const query = `{ collection(name: "sec") { options triggers { headers } } webhook(name: "sec") { headers } cronJob(name: "sec") { headers } }`;
    const reader = await mintKeyFor(t, ["collections:read", "webhooks:read", "cron:read"]);
    const masked = await t.request("POST", "/graphql", { query }, bearer(reader));
    expect(masked.body.errors).toBeUndefined();
    expect(JSON.stringify(masked.body)).not.toContain("supersecret123");
    const trusted = await t.request("POST", "/graphql", { query }, bearer(await mintKeyFor(t, ["admin"])));
    expect(JSON.stringify(trusted.body)).toContain("supersecret123");
  });
});

describe("GraphQL keys", () => {
  test("createApiKey answers the key once; apiKeys lists it; whoami names the caller; deleteApiKey revokes", async () => {
    const made = await t.graphql(
      `mutation { createApiKey(input: {name: "gql", scopes: ["logs:read"]}) { key apiKey { id name scopes lastUsed expiresAt } } }`,
    );
    expect(made.body.errors).toBeUndefined();
    const { key, apiKey } = made.body.data.createApiKey;
    expect(key).toMatch(/^hk_/);
    expect(apiKey).toMatchObject({ name: "gql", scopes: ["logs:read"], lastUsed: null, expiresAt: null });
    const listed = await t.graphql("{ apiKeys { id name } }");
    expect(listed.body.data.apiKeys).toContainEqual({ id: apiKey.id, name: "gql" });
    const who = await t.request("POST", "/graphql", { query: "{ whoami { id name scopes } }" }, bearer(key));
    expect(who.body.data.whoami).toEqual({ id: apiKey.id, name: "gql", scopes: ["logs:read"] });
    const bad = await t.graphql(`mutation { createApiKey(input: {name: "x", scopes: ["logs:read", "nope"]}) { key } }`);
    expect(bad.body.errors[0].extensions).toMatchObject({ code: "VALIDATION", data: { "scopes.1": {} } });
    const del = await t.graphql(`mutation { deleteApiKey(id: "${apiKey.id}") { id } }`);
    expect(del.body.data.deleteApiKey.id).toBe(apiKey.id);
    expect((await t.request("POST", "/graphql", { query: "{ whoami { id } }" }, bearer(key))).status).toBe(401);
  });
});
