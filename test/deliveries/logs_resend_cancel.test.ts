// Resend and cancel one delivery, and the bulk filter's ids (docs/control.md), over REST and GraphQL:
// which states each accepts, the 409 naming the state, and a resent success really sent again
// with the same webhook-id and its first attempt kept in the history.
import { afterAll, beforeEach, describe, expect, test } from "bun:test";
import { makeDispatchingApp, makeHookedCollection, settled, waitForLogs } from "../support/deliveries";
import { insertLogRows } from "../support/log_rows";
import { startReceiver } from "../support/receiver";
import { makeTestApp, type TestApp } from "../support/test_app";

const STATUSES = ["pending", "processing", "held", "success", "failed", "cancelled"];
let t: TestApp;

async function statusOf(id: string): Promise<string> {
  const rs = await t.deps.db.execute({ sql: "SELECT status, tries FROM _webhook_logs WHERE id = ?", args: [id] });
  return `${rs.rows[0]!.status}/${rs.rows[0]!.tries}`;
}

describe("which states resend and cancel accept", () => {
  beforeEach(async () => {
    t = await makeTestApp();
    await insertLogRows(
      t.deps.db,
      STATUSES.map((s) => ({ id: s, status: s, tries: 2 })),
    );
  });

  const resend: [string, number][] = [
    ["pending", 409],
    ["processing", 409],
    ["held", 409],
    ["success", 200],
    ["failed", 200],
    ["cancelled", 200],
  ];
  for (const [status, code] of resend) {
    test(`resending a ${status} delivery answers ${code}`, async () => {
      const res = await t.request("POST", `/api/webhooks/logs/${status}/resend`);
      expect(res.status).toBe(code);
      if (code === 409) {
        expect(res.body.message).toContain(`is ${status}; only a finished delivery can be resent`);
        expect(await statusOf(status)).toBe(`${status}/2`);
      } else expect(res.body).toMatchObject({ id: status, status: "pending", tries: 0 });
    });
  }

  const cancel: [string, number][] = [
    ["pending", 200],
    ["held", 200],
    ["processing", 409],
    ["success", 409],
    ["failed", 409],
    ["cancelled", 409],
  ];
  for (const [status, code] of cancel) {
    test(`cancelling a ${status} delivery answers ${code}`, async () => {
      const res = await t.request("POST", `/api/webhooks/logs/${status}/cancel`);
      expect(res.status).toBe(code);
      if (code === 409) {
        expect(res.body.message).toContain(`is ${status}; only a pending or held delivery can be cancelled`);
        expect(await statusOf(status)).toBe(`${status}/2`);
      } else expect(await statusOf(status)).toBe("cancelled/2");
    });
  }

  test("an unknown id is a 404 for both", async () => {
    expect((await t.request("POST", "/api/webhooks/logs/nope/resend")).status).toBe(404);
    expect((await t.request("POST", "/api/webhooks/logs/nope/cancel")).status).toBe(404);
  });

  test("GraphQL resendWebhookLog and cancelWebhookLog do the same", async () => {
    const res = await t.graphql(
      `mutation { resendWebhookLog(id: "success") { id status tries } cancelWebhookLog(id: "held") { id status } }`,
    );
    expect(res.body.data).toEqual({
      resendWebhookLog: { id: "success", status: "PENDING", tries: 0 },
      cancelWebhookLog: { id: "held", status: "CANCELLED" },
    });
    const refused = await t.graphql(`mutation { cancelWebhookLog(id: "failed") { id } }`);
    expect(refused.body.errors[0].message).toContain("is failed; only a pending or held delivery can be cancelled");
  });

  test("the bulk filter's ids picks those deliveries only (REST and GraphQL)", async () => {
    const res = await t.request("POST", "/api/webhooks/logs/cancel", { filter: { ids: ["pending", "success"] } });
    expect(res).toMatchObject({ status: 200, body: { count: 1 } });
    expect(await statusOf("pending")).toBe("cancelled/2");
    expect(await statusOf("held")).toBe("held/2");
    const gql = await t.graphql(`mutation { retryWebhookLogs(filter: {ids: ["pending", "failed"]}) { count } }`);
    expect(gql.body.data.retryWebhookLogs.count).toBe(2);
    expect(await statusOf("failed")).toBe("pending/0");
  });

  test("a bad ids is a 400 naming ids, nothing changed", async () => {
    for (const ids of [[], [""], [1], Array.from({ length: 1001 }, (_, i) => `d${i}`)]) {
      const res = await t.request("POST", "/api/webhooks/logs/cancel", { filter: { ids } });
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.data)).toEqual(["ids"]);
    }
    expect(await statusOf("pending")).toBe("pending/2");
  });

  test("the listing takes ids comma-separated", async () => {
    const res = await t.request("GET", "/api/webhooks/logs?ids=failed,held");
    expect(res.body.items.map((i: { id: string }) => i.id).sort()).toEqual(["failed", "held"]);
  });
});

describe("a resent success", () => {
  const receiver = startReceiver();
  afterAll(() => receiver.stop());

  test("is sent again with the same webhook-id; both attempts are in its history", async () => {
    const d = await makeDispatchingApp();
    try {
      await makeHookedCollection(d, "posts", [{ action: "create", url: receiver.url }]);
      await d.request("POST", "/api/collections/posts/records", { title: "hello" });
      const [first] = await waitForLogs(d.deps, "1", settled);
      await receiver.waitFor(1);
      const res = await d.request("POST", `/api/webhooks/logs/${first!.id}/resend`);
      expect(res).toMatchObject({ status: 200, body: { status: "pending", tries: 0 } });
      await waitForLogs(d.deps, "1", (rows) => rows[0]?.status === "success" && rows[0]?.tries === 1);
      const requests = await receiver.waitFor(2);
      expect(requests[1]!.headers["webhook-id"]).toBe(requests[0]!.headers["webhook-id"]);
      expect(requests[1]!.body).toBe(requests[0]!.body);
      const attempts = await d.request("GET", `/api/webhooks/logs/${first!.id}/attempts`);
      expect(attempts.body.items.map((a: { httpStatus: number }) => a.httpStatus)).toEqual([200, 200]);
    } finally {
      await d.dispatcher.stop();
    }
  });
});
