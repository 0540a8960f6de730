// Pausing (docs/delivery.md): a paused trigger, webhook or HTTP cron job still captures, but its
// deliveries wait as held with no tries used; resuming releases them in commit order.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import {
  makeDispatchingApp,
  makeHookedCollection,
  settled,
  waitForLogs,
  type DispatchingApp,
} from "../support/deliveries";
import { startReceiver, type Receiver } from "../support/receiver";
import { waitUntil } from "../support/wait";

let t: DispatchingApp;
let receiver: Receiver;

beforeAll(async () => {
  // One delivery in flight at a time, so the order of arrival is the order of release.
  // Retries wait 300 ms, so a retry is mostly waiting (not in flight) when the test pauses.
  t = await makeDispatchingApp({ concurrency: 1, retryBaseMs: 300 });
  receiver = startReceiver();
  await makeHookedCollection(t, "witness", [{ action: "create", url: `${receiver.url}/witness` }]);
});

/** sendWitness delivers one record through an unpaused trigger and waits for it: with one delivery in flight at a time, anything due before it would have been sent first. */
async function sendWitness(): Promise<void> {
  const before = receiver.requests.length;
  await t.request("POST", "/api/collections/witness/records", { title: "w" });
  await waitUntil("the witness delivery", () => receiver.requests.slice(before).some((r) => r.path === "/witness"));
}
afterAll(async () => {
  await t.dispatcher.stop();
  await receiver.stop();
});

const statuses = async (where: string) =>
  (await t.deps.db.execute(`SELECT status, tries FROM _webhook_logs WHERE ${where} ORDER BY rowid`)).rows.map(
    (r) => `${r.status}/${r.tries}`,
  );

describe("a trigger", () => {
  test("paused: writes are captured as held, nothing is sent; resumed: all delivered in commit order", async () => {
    const res = await t.request("POST", "/api/collections", {
      name: "posts",
      fields: [{ name: "title", type: "text" }],
      triggers: [{ id: "t1", action: "create", url: `${receiver.url}/posts`, paused: true }],
    });
    expect(res.body.options.triggers[0].paused).toBe(true);
    for (let i = 0; i < 20; i++) await t.request("POST", "/api/collections/posts/records", { title: `n${i}` });
    await t.deps.db.execute("INSERT INTO posts (title) VALUES ('n20')");
    expect(await statuses("collection = 'posts'")).toEqual(Array(21).fill("held/0"));
    await sendWitness();
    expect(receiver.requests.map((r) => r.path)).toEqual(["/witness"]);
    receiver.requests.length = 0;
    const held = await t.request("GET", "/api/webhooks/logs?collection=posts&status=held");
    expect(held.body.totalItems).toBe(21);

    const resumed = await t.request("PATCH", "/api/collections/posts", {
      triggers: [{ id: "t1", action: "create", url: `${receiver.url}/posts`, paused: false }],
    });
    expect(resumed.body.options.triggers[0].paused).toBe(false);
    await receiver.waitFor(21);
    expect(receiver.requests.map((r) => r.json.record.title)).toEqual(Array.from({ length: 21 }, (_, i) => `n${i}`));
    await waitForLogs(t.deps, "collection = 'posts'", (rows) =>
      rows.every((r) => r.status === "success" && r.tries === 1),
    );
  });

  test("pausing holds the retries already waiting; an update that leaves paused out keeps it", async () => {
    receiver.requests.length = 0;
    receiver.respond = () => ({ status: 503 });
    await t.request("PATCH", "/api/collections/posts", {
      triggers: [{ id: "t1", action: "create", url: `${receiver.url}/posts`, retryLimit: 10 }],
    });
    await t.request("POST", "/api/collections/posts/records", { title: "retried" });
    await receiver.waitFor(1);
    await t.request("PATCH", "/api/collections/posts", {
      triggers: [{ id: "t1", action: "create", url: `${receiver.url}/posts`, retryLimit: 10, paused: true }],
    });
    const [row] = await waitForLogs(t.deps, "payload LIKE '%retried%'", (rows) => rows[0]?.status === "held");
    const tries = row!.tries;
    await t.request("PATCH", "/api/collections/posts", {
      fields: [
        { name: "title", type: "text" },
        { name: "extra", type: "text" },
      ],
    });
    await t.request("PATCH", "/api/collections/posts", {
      triggers: [{ id: "t1", action: "create", url: `${receiver.url}/posts`, retryLimit: 10 }],
    });
    expect((await t.request("GET", "/api/collections/posts")).body.options.triggers[0].paused).toBe(true);
    // Resuming releases held rows in the same write as the trigger change, so this is final.
    expect(await statuses("payload LIKE '%retried%'")).toEqual([`held/${tries}`]);
    receiver.respond = () => ({ status: 200 });
  });

  test("deleting a trigger ends its held deliveries as failed, saying why", async () => {
    await t.request("PATCH", "/api/collections/posts", { triggers: [] });
    const [row] = await waitForLogs(t.deps, "payload LIKE '%retried%'", (rows) => rows[0]?.status === "failed");
    expect(row!.error_msg).toContain("deleted while the delivery was held");
  });
});

describe("pausing during a burst", () => {
  test("deliveries already claimed but not yet sent are held too; only the one in flight is sent", async () => {
    const trigger = { id: "b1", action: "create", url: `${receiver.url}/burst` };
    await t.request("POST", "/api/collections", {
      name: "burst",
      fields: [{ name: "title", type: "text" }],
      triggers: [trigger],
    });
    // Attempts that just finished make the dispatcher claim ahead: the next one waits, claimed, in memory.
    for (let i = 0; i < 3; i++) await t.request("POST", "/api/collections/burst/records", { title: `warm${i}` });
    await waitForLogs(t.deps, "collection = 'burst'", (r) => r.length === 3 && settled(r));
    receiver.requests.length = 0;
    receiver.respond = () => ({ status: 200, delayMs: 300 });
    for (let i = 0; i < 6; i++) await t.request("POST", "/api/collections/burst/records", { title: `b${i}` });
    await receiver.waitFor(1);
    await t.request("PATCH", "/api/collections/burst", { triggers: [{ ...trigger, paused: true }] });
    const rows = await waitForLogs(
      t.deps,
      "collection = 'burst' AND payload NOT LIKE '%warm%'",
      (r) => r.filter((x) => x.status === "held").length === 5 && r.some((x) => x.status === "success"),
    );
    expect(rows.filter((r) => r.status === "held").every((r) => r.tries === 0)).toBe(true);
    expect(receiver.requests.length).toBe(1);
    receiver.respond = () => ({ status: 200 });
    await t.request("PATCH", "/api/collections/burst", { triggers: [{ ...trigger, paused: false }] });
    await receiver.waitFor(6);
    expect(receiver.requests.map((r) => r.json.record.title)).toEqual(["b0", "b1", "b2", "b3", "b4", "b5"]);
  });
});

describe("a standalone webhook", () => {
  test("paused: triggering queues held; enableWebhook releases it", async () => {
    receiver.requests.length = 0;
    const created = await t.request("POST", "/api/webhooks", {
      name: "notify",
      url: `${receiver.url}/notify`,
      paused: true,
    });
    expect(created.body.paused).toBe(true);
    const res = await t.request("POST", "/api/webhooks/notify/trigger", { n: 1 });
    expect(res.body.status).toBe("held");
    // Held from its capture on: no claim can take it.
    expect(await statuses(`id = '${res.body.deliveryId}'`)).toEqual(["held/0"]);
    const enabled = await t.graphql(`mutation { enableWebhook(name: "notify") { paused disabledAt } }`);
    expect(enabled.body.data.enableWebhook).toEqual({ paused: false, disabledAt: null });
    await receiver.waitFor(1);
    await waitForLogs(t.deps, `id = '${res.body.deliveryId}'`, settled);
  });
});

describe("an HTTP cron job", () => {
  test("paused: its runs queue held; PATCH paused: false releases them", async () => {
    receiver.requests.length = 0;
    await t.request("POST", "/api/cron", {
      name: "ping",
      schedule: "0 0 1 1 *",
      type: "http",
      url: `${receiver.url}/ping`,
      paused: true,
    });
    const run = await t.request("POST", "/api/cron/ping/run");
    expect(run.body.status).toBe("success");
    expect(await statuses(`id = '${run.body.deliveryId}'`)).toEqual(["held/0"]);
    const gql = await t.graphql(`{ cronJob(name: "ping") { paused consecutiveFailures } }`);
    expect(gql.body.data.cronJob).toEqual({ paused: true, consecutiveFailures: 0 });
    expect((await t.request("PATCH", "/api/cron/ping", { paused: false })).body.paused).toBe(false);
    await receiver.waitFor(1);
    await waitForLogs(t.deps, `id = '${run.body.deliveryId}'`, settled);
  });
});
