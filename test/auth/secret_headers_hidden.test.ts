// No answer shows a target's header values to a key without secrets:read: every GET route the
// router lists (so a new route that answers a target is covered too) is called with a key that
// holds every other scope, with a trigger, a webhook and a cron job carrying a secret header,
// and a delivery of each in the log.
import { afterAll, describe, expect, test } from "bun:test";
import { bearer, everyScopeBut, mintKeyFor } from "../support/keys";
import { send } from "../support/scenario";
import { makeTestApp } from "../support/test_app";

const SECRET = "Bearer hidden-credential-4242";
const t = await makeTestApp();
afterAll(() => t.deps.db.close());

const sink = "http://127.0.0.1:9/h";
await t.request("POST", "/api/collections", {
  name: "sec",
  schema: [{ name: "title", type: "text" }],
  options: { triggers: [{ action: "create", url: sink, headers: { Authorization: SECRET } }] },
});
await t.request("POST", "/api/webhooks", { name: "sec", url: sink, headers: { "X-Key": SECRET } });
await t.request("POST", "/api/cron", {
  name: "sec",
  schedule: "0 3 * * *",
  type: "http",
  url: sink,
  headers: { "X-Key": SECRET },
});
const record = await t.request("POST", "/api/collections/sec/records", { title: "x" });
const triggered = await t.request("POST", "/api/webhooks/sec/trigger", {});
const triggerId = (await t.request("GET", "/api/collections/sec")).body.options.triggers[0].id;

// Every value a path parameter may take here; each GET route is called with each combination.
const VALUES: Record<string, string[]> = {
  name: ["sec"],
  id: [triggerId, triggered.body.deliveryId, record.body.id],
};
function urls(pattern: string): string[] {
  let out = [pattern];
  for (const [param, values] of Object.entries(VALUES))
    out = out.flatMap((u) => (u.includes(`:${param}`) ? values.map((v) => u.replace(`:${param}`, v)) : [u]));
  return out;
}

test("every GET route answers header values masked to a key without secrets:read", async () => {
  const key = await mintKeyFor(t, everyScopeBut("secrets:read"));
  const routes = t.app.routes().filter((r) => r.method === "GET" && r.meta.access !== "public");
  const seen: string[] = [];
  for (const r of routes) {
    for (const url of urls(r.pattern)) {
      const res = await send(t, { method: "GET", url, headers: bearer(key) });
      if (res.status === 403) continue; // the secret endpoints themselves
      expect([url, res.text.includes("hidden-credential-4242")]).toEqual([url, false]);
      if (res.text.includes("••••••••")) seen.push(r.pattern);
    }
  }
  // The routes that answer targets did answer them (masked), so the walk saw what it guards.
  expect(seen).toEqual(
    expect.arrayContaining([
      "/api/collections",
      "/api/collections/:name",
      "/api/collections/:name/triggers/:id",
      "/api/webhooks",
      "/api/webhooks/:name",
      "/api/cron",
      "/api/cron/:name",
    ]),
  );
});

test("GraphQL's trigger, collection, webhook and cron job fields mask them too", async () => {
  const key = await mintKeyFor(t, everyScopeBut("secrets:read"));
  const query = `query($id: String!) {
    trigger(collection: "sec", id: $id) { headers }
    collections { items { options triggers { headers } } }
    webhooks { headers } cronJobs { headers }
  }`;
  const res = await t.request("POST", "/graphql", { query, variables: { id: triggerId } }, bearer(key));
  expect(res.body.errors).toBeUndefined();
  expect(JSON.stringify(res.body)).not.toContain("hidden-credential-4242");
  expect(JSON.stringify(res.body)).toContain("••••••••");
});

describe("a definition read masked and sent back keeps its header values", () => {
  const stored = async (path: string) => JSON.stringify((await t.request("GET", path)).body);

  test("webhooks and cron jobs (PATCH merges)", async () => {
    const key = await mintKeyFor(t, ["webhooks:read", "webhooks:write", "cron:read", "cron:write"]);
    for (const base of ["/api/webhooks/sec", "/api/cron/sec"]) {
      const read = await send(t, { method: "GET", url: base, headers: bearer(key) });
      expect(read.json.headers).toEqual({ "X-Key": "••••••••" });
      const res = await send(t, {
        method: "PATCH",
        url: base,
        headers: bearer(key),
        body: { headers: { ...read.json.headers, "X-New": "plain" }, timeoutMs: 5000 },
      });
      expect(res.status).toBe(200);
      expect(await stored(base)).toContain(`"X-Key":"${SECRET}"`);
      expect(await stored(base)).toContain('"X-New":"plain"');
    }
  });

  test("a collection's trigger list, over REST and GraphQL, and one trigger", async () => {
    const key = await mintKeyFor(t, ["collections:read", "collections:write"]);
    const read = await send(t, { method: "GET", url: "/api/collections/sec", headers: bearer(key) });
    const triggers = read.json.options.triggers.map((tr: Record<string, unknown>) => ({
      id: tr.id,
      action: tr.action,
      url: tr.url,
      headers: tr.headers,
    }));
    expect(triggers[0].headers).toEqual({ Authorization: "••••••••" });
    const res = await send(t, {
      method: "PATCH",
      url: "/api/collections/sec",
      headers: bearer(key),
      body: { triggers },
    });
    expect(res.status).toBe(200);
    expect(await stored("/api/collections/sec")).toContain(SECRET);

    const gql = await t.request(
      "POST",
      "/graphql",
      {
        query: `mutation($input: CollectionInput!) { updateCollection(name: "sec", input: $input) { name } }`,
        variables: {
          input: { triggers: triggers.map((tr: { action: string }) => ({ ...tr, action: tr.action.toUpperCase() })) },
        },
      },
      bearer(key),
    );
    expect(gql.body.errors).toBeUndefined();
    expect(await stored("/api/collections/sec")).toContain(SECRET);

    const one = await send(t, {
      method: "PATCH",
      url: `/api/collections/sec/triggers/${triggerId}`,
      headers: bearer(key),
      body: { headers: { Authorization: "••••••••" }, timeoutMs: 4000 },
    });
    expect(one.status).toBe(200);
    expect(await stored("/api/collections/sec")).toContain(SECRET);
  });

  test("a masked value for a header that is not stored is still refused, naming it", async () => {
    const key = await mintKeyFor(t, ["webhooks:write"]);
    const res = await send(t, {
      method: "PATCH",
      url: "/api/webhooks/sec",
      headers: bearer(key),
      body: { headers: { "X-Other": "••••••••" } },
    });
    expect(res.status).toBe(400);
    expect(Object.keys(res.json.data)).toContain("headers.X-Other");
  });
});

test("a transform preview of a logged delivery shows its headers only to secrets:read", async () => {
  const logs = await t.request("GET", "/api/webhooks/logs?collection=sec");
  const logId = logs.body.items[0].id;
  const preview = (key: string) =>
    send(t, {
      method: "POST",
      url: "/api/transform/preview",
      headers: bearer(key),
      body: { transform: "record", logId },
    });
  const masked = await preview(await mintKeyFor(t, everyScopeBut("secrets:read")));
  expect(masked.status).toBe(200);
  expect(masked.text).not.toContain("hidden-credential-4242");
  const shown = await preview(await mintKeyFor(t, ["logs:read", "secrets:read", "webhooks:write"]));
  expect(shown.text).toContain("hidden-credential-4242");
  const gql = await t.request(
    "POST",
    "/graphql",
    { query: `{ previewTransform(transform: "record", logId: "${logId}") { headers } }` },
    bearer(await mintKeyFor(t, ["logs:read", "webhooks:write"])),
  );
  expect(gql.body.errors).toBeUndefined();
  expect(gql.body.data.previewTransform.headers.Authorization).toBe("••••••••");
});
