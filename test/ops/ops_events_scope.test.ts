// Operational events carry facts of the delivery log of every target (labels, delivery ids,
// HTTP statuses, errors, cron jobs' failures): a key that may write webhooks but not read the
// log could otherwise subscribe a webhook of its own, or point an operator's ops webhook at
// itself, and read them. Making or changing a webhook that receives events needs logs:read.
import { afterAll, describe, expect, test } from "bun:test";
import { bearer, mintKeyFor } from "../support/keys";
import { makeTestApp } from "../support/test_app";

const t = await makeTestApp();
afterAll(() => t.deps.db.close());

const OPS = { name: "ops", url: "http://127.0.0.1:9/alerts", events: ["delivery.exhausted"] };
const gqlCreate = `mutation($i: WebhookInput!) { createWebhook(input: $i) { name } }`;

describe("a webhook that receives operational events", () => {
  test("cannot be made or changed by a webhooks:write key without logs:read, REST and GraphQL", async () => {
    const writer = await mintKeyFor(t, ["webhooks:write", "webhooks:read"]);
    const made = await t.request("POST", "/api/webhooks", { ...OPS, name: "mine" }, bearer(writer));
    expect(made.status).toBe(403);
    expect(made.body.data.scope.message).toBe("logs:read");
    const gql = await t.request(
      "POST",
      "/graphql",
      { query: gqlCreate, variables: { i: { ...OPS, name: "mine2" } } },
      bearer(writer),
    );
    expect(gql.body.errors[0].extensions.code).toBe("FORBIDDEN");

    expect((await t.request("POST", "/api/webhooks", OPS)).status).toBe(200);
    const moved = await t.request("PATCH", "/api/webhooks/ops", { url: "http://127.0.0.1:10/mine" }, bearer(writer));
    expect(moved.status).toBe(403);
    const gqlMoved = await t.request(
      "POST",
      "/graphql",
      { query: `mutation { updateWebhook(name: "ops", input: {url: "http://127.0.0.1:10/mine"}) { url } }` },
      bearer(writer),
    );
    expect(gqlMoved.body.errors[0].extensions.code).toBe("FORBIDDEN");
    expect((await t.request("GET", "/api/webhooks/ops")).body.url).toBe(OPS.url);
  });

  test("can be made and changed with logs:read as well; other webhooks need only webhooks:write", async () => {
    const both = await mintKeyFor(t, ["webhooks:write", "logs:read"]);
    expect((await t.request("POST", "/api/webhooks", { ...OPS, name: "ops2" }, bearer(both))).status).toBe(200);
    expect((await t.request("PATCH", "/api/webhooks/ops2", { events: [] }, bearer(both))).status).toBe(200);
    const writer = await mintKeyFor(t, ["webhooks:write"]);
    const plain = { name: "plain", url: "http://127.0.0.1:9/x" };
    expect((await t.request("POST", "/api/webhooks", plain, bearer(writer))).status).toBe(200);
    expect(
      (await t.request("PATCH", "/api/webhooks/ops2", { url: "http://127.0.0.1:11/y" }, bearer(writer))).status,
    ).toBe(200);
  });
});
