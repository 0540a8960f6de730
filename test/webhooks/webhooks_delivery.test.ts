// Standalone webhooks end to end: trigger → real dispatcher → real receiver.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { makeDispatchingApp, settled, waitForLogs, type DispatchingApp } from "../support/deliveries";
import { startReceiver, type Receiver } from "../support/receiver";

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

test("a trigger delivers the payload with the webhook's headers and a JWT, logged with source webhook", async () => {
  await t.request("POST", "/api/webhooks", {
    name: "deploys",
    url: `${receiver.url}/deploys`,
    headers: { "X-Team": "ops" },
    body: { default: true },
    jwtEnabled: true,
  });
  const res = await t.request("POST", "/api/webhooks/deploys/trigger", { version: "1.2.3" });
  const [req] = await receiver.waitFor(1);
  expect(req).toMatchObject({ method: "POST", path: "/deploys", json: { version: "1.2.3" } });
  expect(req!.headers).toMatchObject({
    "x-team": "ops",
    "content-type": "application/json",
    "webhook-id": res.body.deliveryId,
  });
  expect(req!.headers.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
  const [log] = await waitForLogs(t.deps, `id = '${res.body.deliveryId}'`, settled);
  expect(log).toMatchObject({ source: "webhook", webhook: "deploys", status: "success", tries: 1, http_status: 200 });
});

test("without a payload the stored body is sent; a failing receiver is retried", async () => {
  receiver.respond = (_req, i) => (i < 3 ? { status: 502 } : { status: 200 });
  const res = await t.request("POST", "/api/webhooks/deploys/trigger");
  const [log] = await waitForLogs(t.deps, `id = '${res.body.deliveryId}'`, settled);
  expect(log).toMatchObject({ status: "success", tries: 3 });
  expect(receiver.requests.at(-1)!.json).toEqual({ default: true });
});
