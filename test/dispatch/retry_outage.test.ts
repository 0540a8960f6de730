// A receiver down for an hour gets every event once it is back, with the default schedule
// (5 s, 5 min, 30 min, 2 h, …) as written: the dispatcher runs on fake time, so the hour and
// the retries after it pass in milliseconds while every attempt is a real HTTP request.
import { afterAll, expect, test } from "bun:test";
import { startDispatcher } from "../../src/dispatch/dispatcher";
import { DEFAULT_RETRY_SCHEDULE, scheduleMs } from "../../src/retry_schedule";
import { makeHookedCollection, waitForLogs, type LogRow } from "../support/deliveries";
import { FakeTimers } from "../support/fake_timers";
import { startReceiver } from "../support/receiver";
import { makeTestApp } from "../support/test_app";

const HOUR = 3_600_000;
const POLL_MS = 60_000;
const rx = startReceiver();
afterAll(() => rx.stop());

test("every event written during an hour-long outage arrives once the receiver is back (fake time, default schedule)", async () => {
  // Captured rows are due at the database's own (real) time: fake time starts a day ahead of it,
  // so what is written is due at once, and retries are due by the fake clock.
  const time = new FakeTimers(Date.now() + 24 * HOUR);
  const t = await makeTestApp(
    // The default schedule unscaled; a long poll keeps fake hours from firing thousands of polls.
    { retryBaseMs: 2000, retrySchedule: scheduleMs(DEFAULT_RETRY_SCHEDULE.split(",")), pollMs: POLL_MS },
    { clock: time.clock, timers: time },
  );
  const dispatcher = await startDispatcher(t.deps);
  await makeHookedCollection(t, "orders", [{ action: "create", url: `${rx.url}/hook` }]);
  const start = time.now();
  const down = () => time.now() - start < HOUR;
  const received = new Set<string>();
  rx.respond = (req) => {
    if (down()) return { status: 503 };
    received.add(req.headers["webhook-id"]!);
    return { status: 200 };
  };
  const rows = () => waitForLogs(t.deps, "collection = 'orders'", () => true);
  const attempted = (tries: Map<string, number>) => (now: LogRow[]) =>
    now.every((r) => r.status !== "processing" && r.tries > (tries.get(r.id) ?? 0));

  // Events at the start, at 20 and at 40 minutes; each one's first attempt fails at once.
  let written = 0;
  for (const at of [0, 20 * 60_000, 40 * 60_000]) {
    time.advance(start + at - time.now());
    for (let i = 0; i < 2; i++) {
      await t.request("POST", "/api/collections/orders/records", { title: `event ${written++}` });
    }
    await waitForLogs(t.deps, "collection = 'orders' AND tries = 0", (r) => r.length === 0);
    await waitForLogs(t.deps, "collection = 'orders'", (r) => r.every((row) => row.status === "pending"));
  }

  // Then fake time runs to each next retry (plus one poll: a retry due while another's wake is
  // armed is found by the next poll); the receiver is back after the hour.
  for (let step = 0; step < 20; step++) {
    const pending = (await rows()).filter((r) => r.status === "pending");
    if (pending.length === 0) break;
    const next = Math.min(...pending.map((r) => Date.parse(r.next_attempt_at)));
    time.advance(Math.max(0, next - time.now()) + POLL_MS);
    const due = pending.filter((r) => Date.parse(r.next_attempt_at) <= time.now());
    const before = new Map(due.map((r) => [r.id, r.tries]));
    await waitForLogs(t.deps, `id IN (${due.map((r) => `'${r.id}'`).join(", ")})`, attempted(before));
  }

  const final = await rows();
  expect(final).toHaveLength(written);
  expect(final.map((r) => r.status)).toEqual(Array(written).fill("success"));
  for (const r of final) expect(received.has(r.id)).toBe(true);
  // Nothing was sent after its delivery succeeded, and none needed more than 5 of its 8 attempts
  // (0, 5 s, 5 min 5 s, 35 min 5 s, then 2 h 35 min: after the hour).
  expect(received.size).toBe(written);
  expect(Math.max(...final.map((r) => r.tries))).toBeLessThanOrEqual(5);
  expect(time.now() - start).toBeLessThan(4 * HOUR);
  await dispatcher.stop();
}, 60_000);
