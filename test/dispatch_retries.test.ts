import { afterAll, beforeAll, expect, test } from "bun:test";
import { startReceiver, type Receiver } from "./support/receiver";
import { makeDispatchingApp, makeHookedCollection, settled, waitForLogs, type DispatchingApp } from "./support/deliveries";

let t: DispatchingApp;
let receiver: Receiver;

beforeAll(async () => {
  t = await makeDispatchingApp();
  receiver = startReceiver();
});
afterAll(async () => {
  await t.dispatcher.stop();
  await receiver.stop();
});

test("a receiver that fails the first 2 attempts gets a third, with the same webhook-id every time", async () => {
  receiver.respond = (_req, i) => (i < 2 ? { status: 503, body: "busy" } : { status: 200, body: "thanks" });
  await makeHookedCollection(t, "retried", [{ action: "create", url: `${receiver.url}/hook`, retryLimit: 5 }]);
  const created = await t.request("POST", "/api/collections/retried/records", { title: "hello" });
  const [row] = await waitForLogs(t.deps, "collection = 'retried'", settled);
  expect(row).toMatchObject({ status: "success", tries: 3, http_status: 200, response_body: "thanks", error_msg: null, record_id: created.body.id });
  const ids = receiver.requests.map((r) => r.headers["webhook-id"]);
  expect(ids).toEqual([row!.id, row!.id, row!.id]);
});
