// Throttling (docs/control.md) at real receivers: rateLimit spreads a burst over time with nothing
// failed, on one instance and on two sharing sqld; maxInFlight is never exceeded at a slow
// receiver; a throttled target does not hold back another; the held-back deliveries show as
// pending with their next time, and the metrics name the throttled target.
import { afterAll, describe, expect, test } from "bun:test";
import {
  type DispatchingApp,
  type LogRow,
  makeDispatchingApp,
  makeHookedCollection,
  waitForLogs,
} from "../support/deliveries";
import { startClusterSqld } from "../support/cluster";
import { startReceiver, type ReceivedRequest } from "../support/receiver";
import { sqldAvailable } from "../support/sqld";

const receiver = startReceiver();
afterAll(() => receiver.stop());

const done = (n: number) => (rows: LogRow[]) =>
  rows.length === n && rows.every((r) => r.status === "success" || r.status === "failed");

/** mostInOneSecond is the largest number of requests that arrived within any 1 s window. */
function mostInOneSecond(requests: ReceivedRequest[]): number {
  const at = requests.map((r) => r.at).sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < at.length; i++) {
    while (at[i]! - at[j]! >= 1000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

async function burst(t: DispatchingApp, collection: string, count: number): Promise<void> {
  await t.deps.db.execute(
    `INSERT INTO ${collection} (title) SELECT 'r' || value FROM json_each('[${Array.from({ length: count }, (_, i) => i).join(",")}]')`,
  );
  t.dispatcher.wake();
}

describe("rateLimit", () => {
  test("60 deliveries at 20/s are spread over about 3 s, at most 20 (+10 %) in any second, none failed", async () => {
    const t = await makeDispatchingApp();
    try {
      await makeHookedCollection(t, "limited", [{ action: "create", url: `${receiver.url}/limited`, rateLimit: 20 }]);
      await burst(t, "limited", 60);
      // While it drains, the backlog waits as pending with its next time, no attempt used.
      const waiting = await waitForLogs(
        t.deps,
        "collection = 'limited' AND status = 'pending' AND tries = 0 AND next_attempt_at > strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+0.5 seconds')",
        (rows) => rows.length > 0,
      );
      const listed = await t.request("GET", `/api/webhooks/logs/${waiting[0]!.id}`);
      expect(listed.body).toMatchObject({ status: "pending", tries: 0 });
      expect(Date.parse(listed.body.next_attempt_at)).toBeGreaterThan(Date.now());
      const metrics = await (
        await t.app.fetch(new Request("http://hookd.test/metrics", { headers: { authorization: "Bearer test-token" } }))
      ).text();
      expect(metrics).toMatch(/hookd_target_throttled\{target="limited\/[^"]+"\} 1/);

      const rows = await waitForLogs(t.deps, "collection = 'limited'", done(60), 20_000);
      expect(rows.every((r) => r.status === "success" && r.tries === 1)).toBe(true);
      const got = receiver.requests.filter((r) => r.path === "/limited");
      expect(got.length).toBe(60);
      expect(mostInOneSecond(got)).toBeLessThanOrEqual(22);
      expect(got.at(-1)!.at - got[0]!.at).toBeGreaterThanOrEqual(59 * 50 * 0.9);
    } finally {
      await t.dispatcher.stop();
    }
  }, 30_000);

  test("a throttled target does not hold back another: the unthrottled one drains while the other still waits", async () => {
    const t = await makeDispatchingApp();
    try {
      await makeHookedCollection(t, "slowlane", [{ action: "create", url: `${receiver.url}/slowlane`, rateLimit: 5 }]);
      await makeHookedCollection(t, "fastlane", [{ action: "create", url: `${receiver.url}/fastlane` }]);
      await burst(t, "slowlane", 30);
      await burst(t, "fastlane", 100);
      await waitForLogs(t.deps, "collection = 'fastlane'", done(100), 20_000);
      const slow = await waitForLogs(t.deps, "collection = 'slowlane'", (rows) => rows.length === 30);
      expect(slow.filter((r) => r.status === "pending").length).toBeGreaterThan(0);
      expect(slow.some((r) => r.status === "failed")).toBe(false);
      await t.request("POST", "/api/webhooks/logs/cancel", { filter: { collection: "slowlane" } });
    } finally {
      await t.dispatcher.stop();
    }
  }, 30_000);

  test.skipIf(!sqldAvailable)(
    "two instances sharing sqld hold the limit together",
    async () => {
      const sqld = await startClusterSqld();
      const a = await makeDispatchingApp({ dbUrl: sqld.url, instanceId: "a", pollMs: 50 });
      const b = await makeDispatchingApp({ dbUrl: sqld.url, instanceId: "b", pollMs: 50 });
      try {
        await makeHookedCollection(a, "shared", [{ action: "create", url: `${receiver.url}/shared`, rateLimit: 20 }]);
        await burst(a, "shared", 60);
        b.dispatcher.wake();
        const rows = await waitForLogs(a.deps, "collection = 'shared'", done(60), 30_000);
        expect(rows.every((r) => r.status === "success")).toBe(true);
        const got = receiver.requests.filter((r) => r.path === "/shared");
        expect(got.length).toBe(60);
        expect(mostInOneSecond(got)).toBeLessThanOrEqual(22);
      } finally {
        await a.dispatcher.stop();
        await b.dispatcher.stop();
        a.deps.db.close();
        b.deps.db.close();
        await sqld.stop();
      }
    },
    60_000,
  );
});

describe("maxInFlight", () => {
  test("2 is never exceeded at a slow receiver, and every delivery arrives", async () => {
    let now = 0;
    let most = 0;
    let count = 0;
    const slow = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      async fetch() {
        now++;
        count++;
        most = Math.max(most, now);
        await Bun.sleep(100);
        now--;
        return new Response("ok");
      },
    });
    const t = await makeDispatchingApp();
    try {
      await makeHookedCollection(t, "capped", [
        { action: "create", url: `http://127.0.0.1:${slow.port}/capped`, maxInFlight: 2 },
      ]);
      await burst(t, "capped", 20);
      const rows = await waitForLogs(t.deps, "collection = 'capped'", done(20), 30_000);
      expect(rows.every((r) => r.status === "success" && r.tries === 1)).toBe(true);
      expect(count).toBe(20);
      expect(most).toBe(2);
    } finally {
      await t.dispatcher.stop();
      await slow.stop(true);
    }
  }, 40_000);
});
