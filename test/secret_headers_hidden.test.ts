// No answer shows a target's header values to a key without secrets:read: every GET route the
// router lists (so a new route that answers a target is covered too) is called with a key that
// holds every other scope, with a trigger, a webhook and a cron job carrying a secret header,
// and a delivery of each in the log.
import { afterAll, expect, test } from "bun:test";
import { bearer, everyScopeBut, mintKeyFor } from "./support/keys";
import { send } from "./support/scenario";
import { makeTestApp } from "./support/test_app";

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
