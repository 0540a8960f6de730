// Operational events (docs/operating.md) delivered to a real receiver by the engine itself, each signed
// with the subscribing webhook's secret and verified with the standardwebhooks library:
// delivery.exhausted, target.failing, target.disabled, target.enabled, cron.failed and
// backlog.stale; and no event about a delivery to an ops webhook (no loops).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Webhook } from "standardwebhooks";
import { checkBacklog } from "../../src/ops/backlog_watch";
import { makeDispatchingApp, makeHookedCollection, waitForLogs, type DispatchingApp } from "../support/deliveries";
import { captureLog } from "../support/log_capture";
import { waitUntil } from "../support/wait";
import { startReceiver, type ReceivedRequest, type Receiver } from "../support/receiver";

let t: DispatchingApp;
let rx: Receiver;
let verifier: Webhook;
const log = captureLog();

/** events answers the verified events the receiver got at /alerts of a type; a bad signature throws. */
function events(type: string): any[] {
  return rx.requests
    .filter((r) => r.path === "/alerts")
    .map((r: ReceivedRequest) => verifier.verify(r.body, r.headers) as any)
    .filter((e) => e.type === type);
}

async function waitForEvent(type: string, match: (e: any) => boolean = () => true): Promise<any> {
  await waitUntil(`a ${type} event`, () => events(type).some(match));
  return events(type).find(match);
}

beforeAll(async () => {
  rx = startReceiver();
  rx.respond = (r) => ({ status: r.path === "/alerts" ? 200 : r.path === "/gone" ? 410 : 503 });
  t = await makeDispatchingApp({ alertAfter: 2 }, log);
  const created = await t.request("POST", "/api/webhooks", {
    name: "alerts",
    url: `${rx.url}/alerts`,
    events: [
      "target.failing",
      "target.disabled",
      "target.enabled",
      "delivery.exhausted",
      "backlog.stale",
      "cron.failed",
    ],
  });
  expect(created.status).toBe(200);
  expect(created.body.events).toHaveLength(6);
  verifier = new Webhook((await t.request("GET", "/api/webhooks/alerts/secret")).body.key);
});
afterAll(async () => {
  await t.dispatcher.stop();
  await rx.stop();
});

describe("subscribing", () => {
  test("an unknown event type is a 400 naming events.N, and nothing is written", async () => {
    const res = await t.request("POST", "/api/webhooks", {
      name: "x",
      url: `${rx.url}/x`,
      events: ["target.failing", "nope"],
    });
    expect(res.status).toBe(400);
    expect(res.body.data["events.1"].message).toContain("target.failing");
    expect((await t.request("GET", "/api/webhooks/x")).status).toBe(404);
  });
  test("GraphQL reads and sets the subscription", async () => {
    const res = await t.graphql(`{ webhook(name: "alerts") { events } }`);
    expect(res.body.data.webhook.events).toContain("cron.failed");
  });
});

describe("events", () => {
  test("a failing target: delivery.exhausted at once, target.failing at HOOKD_ALERT_AFTER failures in a row, and log lines", async () => {
    await makeHookedCollection(t, "orders", [{ id: "t1", action: "create", url: `${rx.url}/down`, retryLimit: 1 }]);
    await t.request("POST", "/api/collections/orders/records", { title: "a" });
    const exhausted = await waitForEvent("delivery.exhausted");
    expect(exhausted).toMatchObject({ data: { target: "orders/t1", count: 1, httpStatus: 503 } });
    expect(exhausted.timestamp).toBeString();
    await t.request("POST", "/api/collections/orders/records", { title: "b" });
    const failing = await waitForEvent("target.failing");
    expect(failing.data).toMatchObject({ target: "orders/t1", consecutiveFailures: 2 });
    // The second failure came within the minute: gathered for later, not sent at once.
    expect(events("delivery.exhausted")).toHaveLength(1);
    expect(log.lines.some((l) => l.msg === "delivery failed" && l.fields.target === "orders/t1")).toBe(true);
    expect(log.lines.some((l) => l.msg === "target failing" && l.fields.target === "orders/t1")).toBe(true);
  });

  test("410 Gone disables the target (target.disabled); enabling it sends target.enabled", async () => {
    await makeHookedCollection(t, "gone", [{ id: "g", action: "create", url: `${rx.url}/gone` }]);
    await t.request("POST", "/api/collections/gone/records", { title: "x" });
    const disabled = await waitForEvent("target.disabled", (e) => e.data.target === "gone/g");
    expect(disabled.data.reason).toContain("410");
    const collection = (await t.request("GET", "/api/collections/gone")).body;
    const res = await t.request("PATCH", "/api/collections/gone", {
      triggers: [{ ...collection.options.triggers[0], paused: false }],
    });
    expect(res.status).toBe(200);
    const enabled = await waitForEvent("target.enabled", (e) => e.data.target === "gone/g");
    expect(enabled.data.actor).toBe("admin");
  });

  test("a failed cron run sends cron.failed", async () => {
    expect(
      (
        await t.request("POST", "/api/cron", {
          name: "broken",
          schedule: "0 0 1 1 *",
          type: "sql",
          sql: "UPDATE nowhere SET a = 1",
        })
      ).status,
    ).toBe(200);
    const run = await t.request("POST", "/api/cron/broken/run");
    expect(run.body.status).toBe("failed");
    const failed = await waitForEvent("cron.failed");
    expect(failed.data).toMatchObject({ job: "broken", target: "cron/broken", runId: run.body.id });
    expect(failed.data.error).toContain("nowhere");
    expect(log.lines.some((l) => l.level === "error" && l.msg === "cron run failed")).toBe(true);
  });

  test("a stale backlog sends backlog.stale once per stale spell", async () => {
    await t.request("POST", "/api/webhooks", { name: "slow", url: `${rx.url}/slow`, paused: true });
    await t.request("POST", "/api/webhooks/slow/trigger", {});
    // A pending delivery due ten minutes ago that this instance's allow-list refused, so it stays.
    await t.deps.db.execute({
      sql: "UPDATE _webhook_logs SET status = 'pending', refused_by = ?, next_attempt_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-10 minutes') WHERE webhook = 'slow'",
      args: [t.deps.config.instanceId],
    });
    const stale = { ...t.deps, config: { ...t.deps.config, alertBacklogMs: 60_000 } };
    expect(await checkBacklog(stale, 0)).toBe(true);
    const event = await waitForEvent("backlog.stale");
    expect(event.data.ageSeconds).toBeGreaterThanOrEqual(600);
    expect(await checkBacklog(stale, 0)).toBe(true);
    expect(events("backlog.stale")).toHaveLength(1);
  });
});

test("no loops: an ops webhook that fails gets no event about its own deliveries", async () => {
  const res = await t.request("POST", "/api/webhooks", {
    name: "broken-alerts",
    url: `${rx.url}/broken-alerts`,
    events: ["delivery.exhausted", "target.failing"],
    retryLimit: 1,
  });
  expect(res.status).toBe(200);
  await makeHookedCollection(t, "more", [{ id: "m", action: "create", url: `${rx.url}/down`, retryLimit: 1 }]);
  await t.request("POST", "/api/collections/more/records", { title: "x" });
  // The event about more/m reaches broken-alerts, which fails (503) with its one attempt.
  await waitForLogs(t.deps, "webhook = 'broken-alerts'", (rows) => rows.some((r) => r.status === "failed"));
  await waitForEvent("delivery.exhausted", (e) => e.data.target === "more/m");
  const about = await t.deps.db.execute(
    "SELECT count(*) AS n FROM _webhook_logs WHERE source = 'webhook' AND payload LIKE '%webhook/broken-alerts%'",
  );
  expect(Number(about.rows[0]!.n)).toBe(0);
});
