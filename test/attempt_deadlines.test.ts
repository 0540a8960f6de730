// One timer for the time limits of every attempt in flight (dispatch/attempt_deadlines.ts): each
// attempt's signal aborts when its own time is up, whatever order they were started in; a
// finished attempt is never aborted; shutdown aborts all, and any started after.
import { expect, test } from "bun:test";
import { AttemptDeadlines } from "../src/dispatch/attempt_deadlines";

test("each deadline aborts at its own time, a later start with an earlier deadline first", async () => {
  const deadlines = new AttemptDeadlines();
  const started = Date.now();
  const slow = deadlines.start(400);
  const fast = deadlines.start(60);
  const abortedAt = new Promise<number>((resolve) => fast.signal.addEventListener("abort", () => resolve(Date.now() - started)));
  expect(await abortedAt).toBeGreaterThanOrEqual(55);
  expect(fast.timedOut).toBe(true);
  expect(slow.signal.aborted).toBe(false);
  await new Promise<void>((resolve) => slow.signal.addEventListener("abort", () => resolve()));
  expect(Date.now() - started).toBeGreaterThanOrEqual(395);
  expect(slow.timedOut).toBe(true);
});

test("an attempt that finished in time is never aborted", async () => {
  const deadlines = new AttemptDeadlines();
  const done = deadlines.start(30);
  const running = deadlines.start(60);
  deadlines.finish(done);
  await new Promise<void>((resolve) => running.signal.addEventListener("abort", () => resolve()));
  await Bun.sleep(20);
  expect(done.signal.aborted).toBe(false);
  expect(running.timedOut).toBe(true);
});

test("stopAll aborts every attempt in flight (not as a timeout), and every one started after", () => {
  const deadlines = new AttemptDeadlines();
  const a = deadlines.start(10_000);
  const b = deadlines.start(20_000);
  deadlines.stopAll();
  expect([a.signal.aborted, b.signal.aborted, a.timedOut, b.timedOut]).toEqual([true, true, false, false]);
  expect(deadlines.isStopped).toBe(true);
  expect(deadlines.start(10_000).signal.aborted).toBe(true);
});
