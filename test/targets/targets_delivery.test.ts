// Targets end to end (docs/delivery.md, docs/operating.md): a real receiver verifies every request with the
// standardwebhooks library before and during a rotation; a fixed URL is reached by the next
// retry and by a manual redelivery; attempts are listed in order with the URL each used;
// 410 Gone and a receiver failing longer than HOOKD_DISABLE_AFTER disable the target, which
// then holds new deliveries until enabled; no secret reaches a log row or a log line.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Webhook } from "standardwebhooks";
import type { Clock } from "../../src/runtime/clock";
import type { Logger } from "../../src/runtime/logger";
import { startDispatcher, type Dispatcher } from "../../src/dispatch/dispatcher";
import { settled, waitForLogs } from "../support/deliveries";
import { startReceiver, type ReceivedRequest, type Receiver } from "../support/receiver";
import { makeTestApp, type TestApp } from "../support/test_app";

let t: TestApp;
let dispatcher: Dispatcher;
let receiver: Receiver;
const logLines: string[] = [];
const capture: Logger = {
  debug: () => {},
  info: (msg, f) => logLines.push(JSON.stringify({ level: "info", msg, ...f })),
  warn: (msg, f) => logLines.push(JSON.stringify({ level: "warn", msg, ...f })),
  error: (msg, f) => logLines.push(JSON.stringify({ level: "error", msg, ...f })),
};
const secretsSeen = new Set<string>();
// Real time, which a test may move ahead (never back) instead of waiting for it to pass.
let skippedMs = 0;
const clock: Clock = { now: () => new Date(Date.now() + skippedMs) };

beforeAll(async () => {
  // Retries after 150 ms leave time to change a target between attempts; auto-disable after
  // 400 ms and 3 failures so a failing receiver disables its target within a test.
  t = await makeTestApp({ retryBaseMs: 150, disableAfterMs: 400, disableMinFailures: 3 }, { log: capture, clock });
  dispatcher = await startDispatcher(t.deps);
  receiver = startReceiver();
});
afterAll(async () => {
  await dispatcher.stop();
  await receiver.stop();
});

async function secret(path: string): Promise<string> {
  const key = (await t.request("GET", `${path}/secret`)).body.key as string;
  secretsSeen.add(key);
  return key;
}

function verifies(key: string, req: ReceivedRequest): boolean {
  try {
    new Webhook(key).verify(req.body, req.headers, { jsonParse: false });
    return true;
  } catch {
    return false;
  }
}

const fresh = () => (receiver.requests.length = 0);
const collection = (name: string, trigger: Record<string, unknown>) =>
  t.request("POST", "/api/collections", {
    name,
    fields: [{ name: "title", type: "text" }],
    triggers: [{ id: "t1", action: "create", ...trigger }],
  });

describe("signatures", () => {
  test("every request verifies with standardwebhooks, before and during a rotation", async () => {
    fresh();
    await collection("signed", { url: `${receiver.url}/signed` });
    const before = await secret("/api/collections/signed/triggers/t1");
    for (let i = 0; i < 5; i++) await t.request("POST", "/api/collections/signed/records", { title: `ünïcødé ${i}` });
    await receiver.waitFor(5);
    for (const req of receiver.requests) {
      expect(req.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
      expect(verifies(before, req)).toBe(true);
    }

    fresh();
    const rotated = await t.request("POST", "/api/collections/signed/triggers/t1/secret/rotate", {
      gracePeriodSeconds: 3600,
    });
    secretsSeen.add(rotated.body.key);
    for (let i = 0; i < 3; i++) await t.request("POST", "/api/collections/signed/records", { title: `after ${i}` });
    await receiver.waitFor(3);
    for (const req of receiver.requests) {
      expect(req.headers["webhook-signature"]!.split(" ")).toHaveLength(2);
      expect(verifies(rotated.body.key, req)).toBe(true);
      expect(verifies(before, req)).toBe(true);
    }

    fresh();
    await t.request("POST", "/api/collections/signed/triggers/t1/secret/rotate", { gracePeriodSeconds: 0 });
    await t.request("POST", "/api/collections/signed/records", { title: "no grace" });
    const [last] = await receiver.waitFor(1);
    expect(verifies(await secret("/api/collections/signed/triggers/t1"), last!)).toBe(true);
    expect(verifies(rotated.body.key, last!)).toBe(false);
  });

  test("webhooks and HTTP cron jobs are signed too, a GET over the empty body", async () => {
    fresh();
    await t.request("POST", "/api/webhooks", { name: "notify", url: `${receiver.url}/notify` });
    await t.request("POST", "/api/cron", {
      name: "ping",
      schedule: "0 0 1 1 *",
      type: "http",
      method: "GET",
      url: `${receiver.url}/ping`,
    });
    await t.request("POST", "/api/webhooks/notify/trigger", { hello: "world" });
    await t.request("POST", "/api/cron/ping/run");
    await receiver.waitFor(2);
    const byPath = Object.fromEntries(receiver.requests.map((r) => [r.path, r]));
    expect(verifies(await secret("/api/webhooks/notify"), byPath["/notify"]!)).toBe(true);
    expect(byPath["/ping"]!.body).toBe("");
    expect(verifies(await secret("/api/cron/ping"), byPath["/ping"]!)).toBe(true);
  });
});

describe("current target", () => {
  test("a PATCHed URL is reached by the next retry; attempts list both URLs in order", async () => {
    fresh();
    receiver.respond = (req) => (req.path === "/broken" ? { status: 503 } : { status: 200 });
    await collection("moving", { url: `${receiver.url}/broken`, retryLimit: 5 });
    await t.request("POST", "/api/collections/moving/records", { title: "x" });
    await receiver.waitFor(1);
    await t.request("PATCH", "/api/collections/moving", {
      triggers: [
        { id: "t1", action: "create", url: `${receiver.url}/fixed`, retryLimit: 5, headers: { "X-Fixed": "yes" } },
      ],
    });
    const [log] = await waitForLogs(t.deps, "collection = 'moving'", settled);
    expect(log).toMatchObject({ status: "success", url: `${receiver.url}/fixed` });
    const fixed = receiver.requests.filter((r) => r.path === "/fixed");
    expect(fixed.length).toBe(1);
    expect(fixed[0]!.headers["x-fixed"]).toBe("yes");
    const attempts = await t.request("GET", `/api/webhooks/logs/${log!.id}/attempts`);
    expect(attempts.body.items.map((a: any) => [a.n, a.url, a.httpStatus])).toEqual([
      ...attempts.body.items.slice(0, -1).map((_: unknown, i: number) => [i + 1, `${receiver.url}/broken`, 503]),
      [attempts.body.totalItems, `${receiver.url}/fixed`, 200],
    ]);
  });

  test("a manual redelivery after fixing the URL reaches the new one; GraphQL lists the attempts", async () => {
    fresh();
    receiver.respond = (req) => (req.path === "/gone-wrong" ? { status: 404, body: "no such hook" } : { status: 200 });
    await t.request("POST", "/api/webhooks", { name: "redeliver", url: `${receiver.url}/gone-wrong` });
    const { body } = await t.request("POST", "/api/webhooks/redeliver/trigger", { n: 1 });
    await waitForLogs(t.deps, `id = '${body.deliveryId}'`, (rows) => rows[0]?.status === "failed");
    await t.request("PATCH", "/api/webhooks/redeliver", { url: `${receiver.url}/right` });
    expect((await t.request("POST", `/api/webhooks/logs/${body.deliveryId}/retry`)).status).toBe(200);
    await waitForLogs(t.deps, `id = '${body.deliveryId}'`, (rows) => rows[0]?.status === "success");
    expect(receiver.requests.map((r) => r.path)).toEqual(["/gone-wrong", "/right"]);
    expect(receiver.requests[0]!.headers["webhook-id"]).toBe(receiver.requests[1]!.headers["webhook-id"]);
    const gql = await t.graphql(
      `query($id: ID!) { webhookLog(id: $id) { url attempts { n url httpStatus responseBody errorMsg durationMs at } } }`,
      { id: body.deliveryId },
    );
    const { url, attempts } = gql.body.data.webhookLog;
    expect(url).toBe(`${receiver.url}/right`);
    expect(attempts.map((a: any) => [a.n, a.url, a.httpStatus, a.responseBody])).toEqual([
      [1, `${receiver.url}/gone-wrong`, 404, "no such hook"],
      [2, `${receiver.url}/right`, 200, ""],
    ]);
    expect(attempts[0].errorMsg).toBe("HTTP 404");
    expect(Date.parse(attempts[1].at)).toBeGreaterThan(Date.parse(attempts[0].at));
  });
});

describe("auto-disable", () => {
  test("410 Gone disables at once, with a warning; new writes are held until enableTrigger", async () => {
    fresh();
    receiver.respond = (req) => (req.path === "/retired" ? { status: 410 } : { status: 200 });
    await collection("retired", { url: `${receiver.url}/retired` });
    await t.request("POST", "/api/collections/retired/records", { title: "one" });
    await waitForLogs(t.deps, "collection = 'retired'", settled);
    const trigger = (await t.request("GET", "/api/collections/retired")).body.options.triggers[0];
    expect(trigger).toMatchObject({
      lastStatus: "failed",
      consecutiveFailures: 1,
      disabledReason: "the receiver answered 410 Gone",
    });
    expect(trigger.disabledAt).toBeString();
    expect(
      logLines.some((l) => l.includes('"level":"warn"') && l.includes("target disabled") && l.includes("410")),
    ).toBe(true);

    await t.request("POST", "/api/collections/retired/records", { title: "two" });
    await t.request("POST", "/api/collections/retired/records", { title: "three" });
    // Captured held (the target is disabled), so no claim can take them.
    expect(receiver.requests.length).toBe(1);
    expect(
      (
        await t.deps.db.execute("SELECT status, tries FROM _webhook_logs WHERE collection = 'retired' ORDER BY rowid")
      ).rows.map((r) => `${r.status}/${r.tries}`),
    ).toEqual(["failed/1", "held/0", "held/0"]);

    receiver.respond = () => ({ status: 200 });
    const enabled = await t.graphql(
      `mutation { enableTrigger(collection: "retired", id: "t1") { triggers { id paused disabledAt consecutiveFailures } } }`,
    );
    expect(enabled.body.data.enableTrigger.triggers[0]).toEqual({
      id: "t1",
      paused: false,
      disabledAt: null,
      consecutiveFailures: 0,
    });
    await receiver.waitFor(3);
    expect(receiver.requests.slice(1).map((r) => r.json.record.title)).toEqual(["two", "three"]);
  });

  test("a trigger disabled by 410 is enabled by a REST PATCH that says paused: false", async () => {
    fresh();
    receiver.respond = () => ({ status: 410 });
    await collection("sunsetted", { url: `${receiver.url}/sunsetted` });
    await t.request("POST", "/api/collections/sunsetted/records", { title: "first" });
    await waitForLogs(t.deps, "collection = 'sunsetted'", settled);
    await t.request("POST", "/api/collections/sunsetted/records", { title: "held" });
    const before = (await t.request("GET", "/api/collections/sunsetted")).body.options.triggers[0];
    expect(before.disabledAt).toBeString();
    receiver.respond = () => ({ status: 200 });
    const patched = await t.request("PATCH", "/api/collections/sunsetted", {
      triggers: [{ ...before, paused: false }],
    });
    expect(patched.body.options.triggers[0]).toMatchObject({
      id: "t1",
      paused: false,
      disabledAt: null,
      disabledReason: null,
      consecutiveFailures: 0,
    });
    const [req] = await receiver.waitFor(2).then((all) => all.slice(1));
    expect(req!.json.record.title).toBe("held");
  });

  test("a receiver failing longer than HOOKD_DISABLE_AFTER disables its webhook, holding new and waiting deliveries; PATCH paused: false releases them", async () => {
    fresh();
    receiver.respond = () => ({ status: 500 });
    await t.request("POST", "/api/webhooks", { name: "flaky", url: `${receiver.url}/flaky`, retryLimit: 1 });
    for (let i = 0; i < 4; i++) {
      await t.request("POST", "/api/webhooks/flaky/trigger", { i });
      await waitForLogs(t.deps, "webhook = 'flaky'", (rows) => rows.length === i + 1 && settled(rows));
    }
    // Failing for over 400 ms with at least 3 failures: the next failure disables it.
    skippedMs += 450;
    await t.request("POST", "/api/webhooks/flaky/trigger", { i: 4 });
    await waitForLogs(t.deps, "webhook = 'flaky'", (rows) => rows.length === 5 && settled(rows));
    const flaky = (await t.request("GET", "/api/webhooks/flaky")).body;
    expect(flaky.consecutiveFailures).toBe(5);
    expect(flaky.disabledReason).toContain("kept failing since");
    expect(flaky.failingSince).toBeString();

    const held = await t.request("POST", "/api/webhooks/flaky/trigger", { i: 5 });
    expect(held.body.status).toBe("held");
    expect(receiver.requests.length).toBe(5);

    receiver.respond = () => ({ status: 200 });
    const patched = await t.request("PATCH", "/api/webhooks/flaky", { paused: false });
    expect(patched.body).toMatchObject({
      paused: false,
      disabledAt: null,
      disabledReason: null,
      consecutiveFailures: 0,
    });
    await waitForLogs(t.deps, `id = '${held.body.deliveryId}'`, settled);
    expect(receiver.requests.at(-1)!.json).toEqual({ i: 5 });
    expect((await t.request("GET", "/api/webhooks/flaky")).body).toMatchObject({
      lastStatus: "success",
      consecutiveFailures: 0,
    });
  });

  test("a retry waiting when its target is disabled is held, with the tries it used", async () => {
    fresh();
    let firstId = "";
    // The job's first delivery keeps failing with 503; any later one answers 410 Gone.
    receiver.respond = (req) => (req.headers["webhook-id"] === firstId ? { status: 503 } : { status: 410 });
    await t.request("POST", "/api/cron", {
      name: "sunset",
      schedule: "0 0 1 1 *",
      type: "http",
      url: `${receiver.url}/sunset`,
      retryLimit: 10,
    });
    const first = await t.request("POST", "/api/cron/sunset/run");
    firstId = first.body.deliveryId;
    await receiver.waitFor(1);
    const second = await t.request("POST", "/api/cron/sunset/run");
    await waitForLogs(t.deps, `id = '${second.body.deliveryId}'`, settled);
    const [row] = await waitForLogs(t.deps, `id = '${firstId}'`, (rows) => rows[0]?.status === "held");
    expect(row!.tries).toBeGreaterThanOrEqual(1);
    expect((await t.request("GET", "/api/cron/sunset")).body.disabledReason).toBe("the receiver answered 410 Gone");
  });
});

describe("secrets stay secret", () => {
  test("no log row and no log line holds a secret", async () => {
    expect(secretsSeen.size).toBeGreaterThan(3);
    const rows = JSON.stringify((await t.deps.db.execute("SELECT * FROM _webhook_logs")).rows);
    const attempts = JSON.stringify((await t.deps.db.execute("SELECT * FROM _webhook_attempt_history")).rows);
    const lines = logLines.join("\n");
    for (const key of secretsSeen) {
      const b64 = key.slice("whsec_".length);
      for (const text of [rows, attempts, lines]) expect(text).not.toContain(b64);
    }
  });
});
