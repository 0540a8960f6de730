// HTTP cron jobs end to end: the scheduler enqueues, the real dispatcher sends to a real
// receiver, with the engine's retries and log.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startCronScheduler, type CronScheduler } from "../../src/cron/cron_scheduler";
import { makeDispatchingApp, settled, waitForLogs, type DispatchingApp } from "../support/deliveries";
import { startReceiver, type Receiver } from "../support/receiver";

let t: DispatchingApp;
let scheduler: CronScheduler;
let receiver: Receiver;

beforeAll(async () => {
  t = await makeDispatchingApp();
  scheduler = await startCronScheduler(t.deps);
  receiver = startReceiver();
});
afterAll(async () => {
  await scheduler.stop();
  await t.dispatcher.stop();
  await receiver.stop();
});

test("an HTTP job every second reaches the receiver on each tick, with its headers, body and a stable webhook-id", async () => {
  await t.request("POST", "/api/cron", {
    name: "tick",
    schedule: "*/1 * * * * *",
    type: "http",
    url: `${receiver.url}/tick`,
    headers: { "X-Job": "tick" },
    body: { kind: "tick" },
  });
  const got = await receiver.waitFor(3, 6_000);
  await t.request("PATCH", "/api/cron/tick", { active: false });
  for (const req of got.slice(0, 3)) {
    expect(req).toMatchObject({ method: "POST", path: "/tick", json: { kind: "tick" } });
    expect(req.headers).toMatchObject({ "x-job": "tick", "content-type": "application/json" });
  }
  const runs = await t.request("GET", "/api/cron/tick/runs");
  const deliveryIds = runs.body.items.filter((r: any) => r.status === "success").map((r: any) => r.deliveryId);
  expect(deliveryIds).toEqual(expect.arrayContaining(got.slice(0, 3).map((r) => r.headers["webhook-id"])));
  const logs = await waitForLogs(t.deps, "cron_job = 'tick'", settled);
  expect(logs.every((l) => l.source === "cron" && l.status === "success" && l.http_status === 200)).toBe(true);
}, 10_000);

test("a failing receiver is retried and every outcome is logged", async () => {
  let flakyAttempts = 0;
  receiver.respond = (req) =>
    req.path === "/flaky" && ++flakyAttempts <= 2 ? { status: 503, body: "down" } : { status: 200, body: "up" };
  await t.request("POST", "/api/cron", {
    name: "flaky",
    schedule: "0 0 1 1 *",
    type: "http",
    url: `${receiver.url}/flaky`,
    retryLimit: 4,
    active: false,
  });
  const run = await t.request("POST", "/api/cron/flaky/run");
  expect(run.body.status).toBe("success");
  const [log] = await waitForLogs(t.deps, `id = '${run.body.deliveryId}'`, settled);
  expect(log).toMatchObject({ source: "cron", cron_job: "flaky", status: "success", tries: 3, http_status: 200 });

  receiver.respond = () => ({ status: 500, body: "always" });
  await t.request("POST", "/api/cron", {
    name: "doomed",
    schedule: "0 0 1 1 *",
    type: "http",
    url: `${receiver.url}/doomed`,
    retryLimit: 2,
    active: false,
  });
  const doomed = await t.request("POST", "/api/cron/doomed/run");
  const [failed] = await waitForLogs(t.deps, `id = '${doomed.body.deliveryId}'`, settled);
  expect(failed).toMatchObject({
    source: "cron",
    cron_job: "doomed",
    status: "failed",
    tries: 2,
    http_status: 500,
    response_body: "always",
  });
  receiver.respond = () => ({ status: 200, body: "ok" });
}, 10_000);
