// The two throttles of failure reports: delivery.exhausted per target (first at once, then one
// gathered event per interval with a count and the first ids) and the failed-delivery log
// lines (at most N a second, then one summary line with the count).
import { expect, test } from "bun:test";
import { ExhaustedEvents } from "../src/ops/exhausted_events";
import { FailureLog } from "../src/ops/failure_log";
import { captureLog } from "./support/log_capture";

async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out");
    await Bun.sleep(5);
  }
}

test("delivery.exhausted: the first at once, the rest of the interval gathered into one event per target", async () => {
  const sent: { target: string; data: Record<string, unknown> }[] = [];
  const events = new ExhaustedEvents((_type, target, data) => sent.push({ target, data }), 200);
  events.failed("a", { id: "a1", httpStatus: 503, error: null });
  events.failed("b", { id: "b1", httpStatus: null, error: "refused" });
  expect(sent.map((s) => [s.target, s.data.count])).toEqual([
    ["a", 1],
    ["b", 1],
  ]);
  for (let i = 2; i <= 14; i++) events.failed("a", { id: `a${i}`, httpStatus: 500, error: null });
  expect(sent).toHaveLength(2);
  await until(() => sent.length === 3);
  expect(sent[2]).toEqual({
    target: "a",
    data: {
      count: 13,
      deliveryIds: ["a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9", "a10", "a11"],
      httpStatus: 500,
      error: null,
    },
  });
  events.stop();
  expect(sent).toHaveLength(3);
});

test("failed-delivery lines: at most N a second, then one summary with the count", async () => {
  const log = captureLog();
  const lines = new FailureLog(() => log, 3);
  for (let i = 0; i < 10; i++) lines.failed({ id: String(i) });
  // Unless the second ran out meanwhile (a slow machine), 3 lines now and the summary later.
  await until(() => log.lines.some((l) => l.msg.startsWith("more deliveries failed")));
  const one = log.lines.filter((l) => l.msg === "delivery failed").length;
  const summarized = log.lines
    .filter((l) => l.msg.startsWith("more deliveries failed"))
    .reduce((n, l) => n + Number(l.fields.count), 0);
  expect(one + summarized).toBe(10);
  expect(one).toBeGreaterThanOrEqual(3);
});
