// Stopping (SIGTERM) and starting: in-flight attempts finish within the bound, the rest is
// released; on start, leases of dead owners return to pending.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startDispatcher } from "../../src/dispatch/dispatcher";
import { startReceiver, type Receiver } from "../support/receiver";
import { makeDispatchingApp, makeHookedCollection, waitForLogs } from "../support/deliveries";
import { FakeTimers } from "../support/fake_timers";
import { makeTestApp } from "../support/test_app";
import { waitUntil } from "../support/wait";

let receiver: Receiver;
beforeAll(() => {
  receiver = startReceiver();
  receiver.respond = (req) => ({
    status: 200,
    delayMs: Number(new URL(req.path, "http://x").pathname.split("/")[2] ?? 0),
  });
});
afterAll(() => receiver.stop());

const sent = (path: string) => receiver.requests.filter((r) => r.path === path).length;
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !check(); i++) await Bun.sleep(2);
}

test("an attempt that finishes within shutdownMs is recorded before stop() returns", async () => {
  const t = await makeDispatchingApp({ shutdownMs: 2_000 });
  await makeHookedCollection(t, "quick", [{ action: "create", url: `${receiver.url}/slow/150` }]);
  await t.request("POST", "/api/collections/quick/records", { title: "x" });
  await until(() => sent("/slow/150") === 1);
  await t.dispatcher.stop();
  const [row] = await waitForLogs(t.deps, "collection = 'quick'", () => true, 0);
  expect(row).toMatchObject({ status: "success", tries: 1, lease_owner: null });
});

test("an attempt still running at the bound is cut off and released to pending, its try not counted; nothing new is claimed", async () => {
  // The bound is a fake timer: stop() must wait on the attempt until the test moves time past it.
  const time = new FakeTimers();
  const t = await makeTestApp({ shutdownMs: 50 }, { timers: time });
  const dispatcher = await startDispatcher(t.deps);
  await makeHookedCollection(t, "stuck", [{ action: "create", url: `${receiver.url}/slow/3000` }]);
  await t.request("POST", "/api/collections/stuck/records", { title: "x" });
  // Claimed at once on commit, or by the next poll (which runs when fake time reaches it).
  await waitUntil("the attempt to be in flight", () => {
    time.advance(t.deps.config.pollMs);
    return sent("/slow/3000") === 1;
  });
  let stopped = false;
  const stopping = dispatcher.stop().then(() => (stopped = true));
  await waitUntil("stop() to arm its deadline", () => time.armed === 1);
  expect(stopped).toBe(false);
  time.advance(49);
  await new Promise((resolve) => setImmediate(resolve));
  expect(stopped).toBe(false);
  time.advance(1);
  await stopping;
  // A dispatcher still listening would claim in the write's own turn (the signal is synchronous)
  // and commit with it: the row would be processing by the time the request is answered.
  await t.request("POST", "/api/collections/stuck/records", { title: "after stop" });
  const rows = await waitForLogs(t.deps, "collection = 'stuck'", () => true, 0);
  expect(rows.map((r) => [r.status, r.tries, r.lease_owner, r.lease_expires_at])).toEqual([
    ["pending", 0, null, null],
    ["pending", 0, null, null],
  ]);
  expect(sent("/slow/3000")).toBe(1);
});

test("on start, expired leases and this instance's own leases return to pending and are delivered; a live lease is left alone", async () => {
  const t = await makeTestApp({ instanceId: "me" });
  await makeHookedCollection(t, "leased", [{ action: "create", url: `${receiver.url}/leased` }]);
  await t.deps.db.execute("INSERT INTO leased (title) VALUES ('a'), ('b'), ('c')");
  const rows = await waitForLogs(t.deps, "collection = 'leased'", (r) => r.length === 3, 0);
  const lease = (id: string, owner: string, expires: string) =>
    t.deps.db.execute({
      sql: "UPDATE _webhook_logs SET status = 'processing', lease_owner = ?, lease_expires_at = ? WHERE id = ?",
      args: [owner, expires, id],
    });
  await lease(rows[0]!.id, "dead-instance", "2000-01-01T00:00:00.000Z");
  await lease(rows[1]!.id, "me", "2999-01-01T00:00:00.000Z");
  await lease(rows[2]!.id, "live-instance", "2999-01-01T00:00:00.000Z");

  const dispatcher = await startDispatcher(t.deps);
  try {
    const after = await waitForLogs(
      t.deps,
      "collection = 'leased'",
      (r) => r.filter((x) => x.status === "success").length === 2,
    );
    expect(after.map((r) => [r.status, r.lease_owner])).toEqual([
      ["success", null],
      ["success", null],
      ["processing", "live-instance"],
    ]);
  } finally {
    await dispatcher.stop();
  }
});

test("a stopped dispatcher is stopped for good: stop() twice is one stop, and wake() does nothing", async () => {
  const t = await makeDispatchingApp();
  await makeHookedCollection(t, "quiet", [{ action: "create", url: `${receiver.url}/quiet` }]);
  await Promise.all([t.dispatcher.stop(), t.dispatcher.stop()]);
  await t.request("POST", "/api/collections/quiet/records", { title: "x" });
  t.dispatcher.wake();
  // A wake runs after this turn and issues its claim at once; a statement issued after that
  // answers only once the claim has run, which would have taken the row.
  await new Promise((resolve) => setImmediate(resolve));
  await t.deps.db.execute("SELECT 1");
  expect(sent("/quiet")).toBe(0);
  const [row] = await waitForLogs(t.deps, "collection = 'quiet'", (r) => r.length === 1, 0);
  expect(row!.status).toBe("pending");
});
