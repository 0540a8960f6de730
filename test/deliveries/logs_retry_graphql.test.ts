// Retrying a failed delivery end to end, and the GraphQL face of the log.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startReceiver, type Receiver } from "../support/receiver";
import {
  makeDispatchingApp,
  makeHookedCollection,
  settled,
  waitForLogs,
  type DispatchingApp,
} from "../support/deliveries";

let t: DispatchingApp;
let receiver: Receiver;
let failedId: string;

beforeAll(async () => {
  t = await makeDispatchingApp();
  receiver = startReceiver();
  receiver.respond = () => ({ status: 400, body: "not yet" });
  await makeHookedCollection(t, "orders", [{ action: "create", url: `${receiver.url}/orders`, retryLimit: 2 }]);
  await t.request("POST", "/api/collections/orders/records", { title: "one" });
  const [row] = await waitForLogs(t.deps, "collection = 'orders'", settled);
  failedId = row!.id;
});
afterAll(async () => {
  await t.dispatcher.stop();
  await receiver.stop();
});

const LOG_FIELDS =
  "id source collection action recordId webhook cronJob url method payload status httpStatus errorMsg responseBody tries retryLimit nextAttemptAt durationMs createdAt updatedAt";

test("webhookLogs and webhookLog answer the page shape and the camelCase entry", async () => {
  const res = await t.graphql(
    `query($c: String, $s: DeliveryStatus) { webhookLogs(collection: $c, status: $s, perPage: 5) { page perPage totalItems totalPages items { ${LOG_FIELDS} } } }`,
    { c: "orders", s: "FAILED" },
  );
  expect(res.body.errors).toBeUndefined();
  const page = res.body.data.webhookLogs;
  expect(page).toMatchObject({ page: 1, perPage: 5, totalItems: 1, totalPages: 1 });
  expect(page.items[0]).toMatchObject({
    id: failedId,
    source: "TRIGGER",
    collection: "orders",
    action: "CREATE",
    status: "FAILED",
    httpStatus: 400,
    errorMsg: "HTTP 400",
    responseBody: "not yet",
    tries: 1,
    retryLimit: 2,
    method: "POST",
  });
  expect(JSON.parse(page.items[0].payload)).toMatchObject({ id: failedId, action: "create", collection: "orders" });
  const one = await t.graphql(`query($id: ID!) { webhookLog(id: $id) { id status recordId } }`, { id: failedId });
  expect(one.body.data.webhookLog).toMatchObject({ id: failedId, status: "FAILED" });
});

test("GraphQL errors carry the same codes as REST: an unknown status, an unknown id", async () => {
  const badStatus = await t.graphql(`{ webhookLogs(status: DONE) { totalItems } }`);
  expect(badStatus.status).toBe(400);
  expect(badStatus.body.errors[0].extensions).toEqual({ code: "GRAPHQL_VALIDATION_FAILED", status: 400, data: {} });
  expect(badStatus.body.errors[0].message).toContain("DeliveryStatus");
  const missing = await t.graphql(`{ webhookLog(id: "nope") { id } }`);
  expect(missing.body.errors[0].extensions.code).toBe("NOT_FOUND");
});

test("retrying a failed delivery sends it again under the same webhook-id, with a fresh attempt budget", async () => {
  receiver.respond = () => ({ status: 200, body: "now ok" });
  const res = await t.graphql(`mutation($id: ID!) { retryWebhookLog(id: $id) { id status tries } }`, { id: failedId });
  expect(res.body.data.retryWebhookLog).toMatchObject({ id: failedId, status: "PENDING", tries: 0 });
  const [row] = await waitForLogs(t.deps, `id = '${failedId}'`, (rows) => rows[0]?.status === "success");
  expect(row).toMatchObject({ tries: 1, http_status: 200, response_body: "now ok", error_msg: null });
  expect(receiver.requests.map((r) => r.headers["webhook-id"])).toEqual([failedId, failedId]);

  const again = await t.graphql(`mutation($id: ID!) { retryWebhookLog(id: $id) { id } }`, { id: failedId });
  expect(again.body.errors[0].extensions.code).toBe("CONFLICT");
});

test("a retried delivery that fails again gets its whole retryLimit anew", async () => {
  receiver.respond = () => ({ status: 503 });
  await t.request("POST", "/api/collections/orders/records", { title: "two" });
  const [row] = await waitForLogs(t.deps, "collection = 'orders' AND payload LIKE '%\"two\"%'", settled);
  expect(row).toMatchObject({ status: "failed", tries: 2 });
  const res = await t.request("POST", `/api/webhooks/logs/${row!.id}/retry`);
  expect(res.status).toBe(200);
  const [after] = await waitForLogs(t.deps, `id = '${row!.id}'`, (rows) => rows[0]?.status === "failed");
  expect(after!.tries).toBe(2);
  expect(receiver.requests.filter((r) => r.headers["webhook-id"] === row!.id)).toHaveLength(4);
});
