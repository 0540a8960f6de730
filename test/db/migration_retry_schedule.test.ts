// A database made by the release before retry schedules (test/fixtures/release-3-pending.db,
// written by main at 73e5b78 through its own API and dispatcher) upgrades in place: the
// retryLimit 5 that release stored on every target now reads as unset, and the deliveries it
// left queued keep their budget (retry_limit 5 on their rows) — they retry and finish.
import { expect, test } from "bun:test";
import { copyFileSync } from "node:fs";
import { startDispatcher } from "../../src/dispatch/dispatcher";
import { waitForLogs } from "../support/deliveries";
import { startReceiver } from "../support/receiver";
import { tempDbUrl } from "../support/temp_db";
import { makeTestApp } from "../support/test_app";

// The fixture holds, all to a receiver that is gone:
//   "once"   — a trigger delivery tried once (503, Retry-After: 1 h), pending, 1 of 5;
//   "four"   — tried four times, pending, 4 of 5: one attempt left;
//   "queued" — a trigger delivery never tried; and a webhook delivery ("notify") never tried.
const FIXTURE = new URL("../fixtures/release-3-pending.db", import.meta.url).pathname;

test("a previous release's queued deliveries retry and finish, each with the budget it was queued with", async () => {
  const url = tempDbUrl();
  copyFileSync(FIXTURE, url.slice("file:".length));
  // The fixture's retries are due within the hour it was made in; a clock two hours on makes them due now.
  const clock = { now: () => new Date(Date.now() + 2 * 3600_000) };
  const t = await makeTestApp({ dbUrl: url }, { clock });

  const collection = await t.request("GET", "/api/collections/orders");
  const [trigger] = collection.body.options.triggers;
  expect(trigger.id).toBe("t1");
  expect(trigger.retryLimit).toBeUndefined();
  expect((await t.request("GET", "/api/webhooks/notify")).body.retryLimit).toBeNull();
  const before = (await t.request("GET", "/api/webhooks/logs?perPage=10")).body.items;
  expect(before.map((l: any) => [l.status, l.tries, l.retry_limit]).sort()).toEqual([
    ["pending", 0, 5],
    ["pending", 0, 5],
    ["pending", 1, 5],
    ["pending", 4, 5],
  ]);

  // The receiver moved: fixing the URLs reaches the queued deliveries (each attempt uses the current target).
  const rx = startReceiver();
  rx.respond = (req) => ({ status: req.json?.record?.title === "four" ? 503 : 200 });
  const patched = await t.request("PATCH", "/api/collections/orders", {
    triggers: [{ ...trigger, url: `${rx.url}/hook` }],
  });
  expect(patched.status).toBe(200);
  expect((await t.request("PATCH", "/api/webhooks/notify", { url: `${rx.url}/notify` })).status).toBe(200);

  const dispatcher = await startDispatcher(t.deps);
  const rows = await waitForLogs(
    t.deps,
    "1",
    (rows) => rows.length === 4 && rows.every((r) => r.status === "success" || r.status === "failed"),
    15_000,
  );
  const byTitle = (title: string) => rows.find((r) => r.payload?.includes(`"title":"${title}"`));
  expect(byTitle("once")).toMatchObject({ status: "success", tries: 2 });
  expect(byTitle("queued")).toMatchObject({ status: "success", tries: 1 });
  expect(rows.find((r) => r.source === "webhook")).toMatchObject({ status: "success", tries: 1 });
  // Its fifth attempt was its last, as when it was queued: the new default's eight do not apply to it.
  expect(byTitle("four")).toMatchObject({ status: "failed", tries: 5 });
  expect(rx.requests.filter((r) => r.json?.record?.title === "four")).toHaveLength(1);

  // A delivery queued after the upgrade gets the whole schedule: no cap of its own.
  await t.request("POST", "/api/collections/orders/records", { title: "new" });
  const [fresh] = await waitForLogs(t.deps, "payload LIKE '%\"new\"%'", (rows) => rows[0]?.status === "success");
  expect(fresh!.retry_limit).toBe(0);

  await dispatcher.stop();
  await rx.stop();
  t.deps.db.close();
});
