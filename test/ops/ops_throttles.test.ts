// The two throttles of failure reports, in fake time at their real intervals: delivery.exhausted
// per target (the first at once, then one gathered event per minute with a count and the first
// ids) and the failed-delivery log lines (at most N a second, then one summary with the count).
import { expect, test } from "bun:test";
import { ExhaustedEvents } from "../../src/ops/exhausted_events";
import { FailureLog } from "../../src/ops/failure_log";
import { FakeTimers } from "../support/fake_timers";
import { captureLog } from "../support/log_capture";

const MINUTE = 60_000;

test("delivery.exhausted: the first at once, the rest of the minute gathered into one event per target", () => {
  const timers = new FakeTimers();
  const sent: { target: string; data: Record<string, unknown> }[] = [];
  const events = new ExhaustedEvents((_type, target, data) => sent.push({ target, data }), timers, MINUTE);
  events.failed("a", { id: "a1", httpStatus: 503, error: null });
  events.failed("b", { id: "b1", httpStatus: null, error: "refused" });
  expect(sent.map((s) => [s.target, s.data.count])).toEqual([
    ["a", 1],
    ["b", 1],
  ]);
  for (let i = 2; i <= 14; i++) {
    timers.advance(1000);
    events.failed("a", { id: `a${i}`, httpStatus: 500, error: null });
  }
  timers.advance(MINUTE - 13_001);
  expect(sent).toHaveLength(2);
  timers.advance(1);
  expect(sent[2]).toEqual({
    target: "a",
    data: {
      count: 13,
      deliveryIds: ["a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9", "a10", "a11"],
      httpStatus: 500,
      error: null,
    },
  });
  // Within a minute of that event: gathered again; a quiet minute later: at once.
  timers.advance(30_000);
  events.failed("a", { id: "a15", httpStatus: 500, error: null });
  expect(sent).toHaveLength(3);
  timers.advance(30_000);
  expect(sent.map((s) => s.data.count)).toEqual([1, 1, 13, 1]);
  timers.advance(2 * MINUTE);
  events.failed("a", { id: "a16", httpStatus: 500, error: null });
  expect(sent.at(-1)!.data.deliveryIds).toEqual(["a16"]);
  // Stopping sends what is gathered.
  events.failed("a", { id: "a17", httpStatus: 500, error: null });
  events.stop();
  expect(sent.at(-1)!.data.deliveryIds).toEqual(["a17"]);
  expect(timers.armed).toBe(0);
});

test("failed-delivery lines: at most N a second, then one summary with the count when the second ends", () => {
  const timers = new FakeTimers();
  const log = captureLog();
  const lines = new FailureLog(() => log, timers, 3);
  for (let i = 0; i < 10; i++) lines.failed({ id: String(i) });
  expect(log.lines.map((l) => l.msg)).toEqual(["delivery failed", "delivery failed", "delivery failed"]);
  timers.advance(1000);
  expect(log.lines.at(-1)).toMatchObject({
    msg: "more deliveries failed than are logged one by one",
    fields: { count: 7, limitPerSecond: 3 },
  });
  // The next second starts afresh.
  lines.failed({ id: "next" });
  expect(log.lines.at(-1)!.fields).toEqual({ id: "next" });
});
