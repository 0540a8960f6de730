// POST /api/collections/:name/triggers/:id/test: a sample delivery of one trigger, sent and
// logged like any other; held while the trigger is paused; unknown triggers are 404s.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { makeDispatchingApp, settled, waitForLogs, type DispatchingApp } from "../support/deliveries";
import { startReceiver, type Receiver } from "../support/receiver";

let t: DispatchingApp;
let receiver: Receiver;

beforeAll(async () => {
  t = await makeDispatchingApp();
  receiver = startReceiver();
  const res = await t.request("POST", "/api/collections", {
    name: "posts",
    schema: [{ name: "title", type: "text" }],
    options: {
      triggers: [
        { id: "on-update", action: "update", url: `${receiver.url}/hook`, headers: { "X-Source": "hookd" } },
        { id: "quiet", action: "create", url: `${receiver.url}/quiet`, paused: true },
      ],
    },
  });
  expect(res.status).toBe(200);
});
afterAll(async () => {
  await t.dispatcher.stop();
  await receiver.stop();
});

test("sends a sample payload of the trigger's shape, marked as a test, and logs it under the trigger", async () => {
  const res = await t.request("POST", "/api/collections/posts/triggers/on-update/test");
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ status: "pending", logUrl: `/api/webhooks/logs/${res.body.deliveryId}` });
  const [req] = await receiver.waitFor(1);
  expect(req).toMatchObject({
    path: "/hook",
    json: {
      id: res.body.deliveryId,
      action: "update",
      collection: "posts",
      test: true,
      record: { id: "test", title: null },
    },
  });
  expect(req!.json.oldRecord).toEqual(req!.json.record);
  expect(req!.headers).toMatchObject({ "x-source": "hookd", "webhook-id": res.body.deliveryId });
  const [log] = await waitForLogs(t.deps, `id = '${res.body.deliveryId}'`, settled);
  expect(log).toMatchObject({
    source: "trigger",
    collection: "posts",
    action: "update",
    trigger_id: "on-update",
    status: "success",
  });
});

test("a paused trigger holds its test delivery", async () => {
  const res = await t.request("POST", "/api/collections/posts/triggers/quiet/test");
  expect(res.body.status).toBe("held");
  expect((await t.request("GET", res.body.logUrl)).body.status).toBe("held");
});

test.each([
  ["/api/collections/posts/triggers/nope/test", 404],
  ["/api/collections/nope/triggers/on-update/test", 404],
])("POST %s answers %d", async (path, status) => {
  const res = await t.request("POST", path);
  expect(res.status).toBe(status);
  expect(res.body.code).toBe("NOT_FOUND");
});
