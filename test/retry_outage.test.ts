// A receiver down for an hour gets every event once it is back, with the default schedule
// (5 s, 5 min, 30 min, 2 h, …). HOOKD_RETRY_BASE_MS=1 scales every delay by 1/2000, so the
// hour lasts 1.8 s here and the retry that finds the receiver back comes ~4.7 s in.
import { afterAll, expect, test } from "bun:test";
import { DEFAULT_RETRY_SCHEDULE, scheduleMs } from "../src/dispatch/retry_policy";
import { makeDispatchingApp, makeHookedCollection, settled, waitForLogs } from "./support/deliveries";
import { startReceiver } from "./support/receiver";

const SCALE = 1 / 2000;
const HOUR_SCALED_MS = 3600_000 * SCALE;

const rx = startReceiver();
afterAll(() => rx.stop());

test("every event written during an hour-long outage arrives once the receiver is back", async () => {
  const t = await makeDispatchingApp({ retryBaseMs: 1, retrySchedule: scheduleMs(DEFAULT_RETRY_SCHEDULE.split(",")) });
  await makeHookedCollection(t, "orders", [{ action: "create", url: `${rx.url}/hook` }]);
  const downSince = Date.now();
  const down = () => Date.now() - downSince < HOUR_SCALED_MS;
  const received = new Set<string>();
  rx.respond = (req) => {
    if (down()) return { status: 503 };
    received.add(req.headers["webhook-id"]!);
    return { status: 200 };
  };

  // Events keep coming while the receiver is down, spread over the outage.
  let written = 0;
  while (down()) {
    const res = await t.request("POST", "/api/collections/orders/records", { title: `event ${written}` });
    expect(res.status).toBe(200);
    written++;
    await rx.waitFor(rx.requests.length + 1);
  }
  expect(written).toBeGreaterThan(1);

  const rows = await waitForLogs(t.deps, "collection = 'orders'", settled, 30_000);
  expect(rows).toHaveLength(written);
  expect(rows.every((r) => r.status === "success")).toBe(true);
  for (const r of rows) expect(received.has(r.id)).toBe(true);
  await t.dispatcher.stop();
}, 60_000);
