import { describe, expect, test } from "bun:test";
import {
  attemptOutcome,
  MAX_RETRY_DELAY_MS,
  nextState,
  retryAfterMs,
  retryDelayMs,
} from "../src/dispatch/retry_policy";

const NOW = new Date("2026-01-01T00:00:00.000Z");
const noJitter = () => 0;
const fullJitter = () => 0.999999;

describe("attemptOutcome", () => {
  const cases: [string, number | null, boolean, string][] = [
    ["200", 200, false, "success"],
    ["204", 204, false, "success"],
    ["299", 299, false, "success"],
    ["network error or timeout", null, false, "retry"],
    ["500", 500, false, "retry"],
    ["503", 503, false, "retry"],
    ["408", 408, false, "retry"],
    ["429", 429, false, "retry"],
    ["400", 400, false, "final"],
    ["404", 404, false, "final"],
    ["410", 410, false, "final"],
    ["301 (redirects are not followed)", 301, false, "final"],
    ["302", 302, false, "final"],
    ["refused by the outbound guard", null, true, "final"],
  ];
  for (const [name, httpStatus, refused, outcome] of cases) {
    test(`${name} → ${outcome}`, () => expect(attemptOutcome({ httpStatus, refused })).toBe(outcome as never));
  }
});

describe("retryDelayMs", () => {
  test("after the n-th failure waits base × 2^(n−1): 2 s, 4 s, 8 s, 16 s, 32 s with the default base", () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, 2000, noJitter))).toEqual([2000, 4000, 8000, 16000, 32000]);
  });
  test("the base scales the schedule", () => {
    expect([1, 2, 3].map((n) => retryDelayMs(n, 20, noJitter))).toEqual([20, 40, 80]);
  });
  test("jitter adds at most 10%", () => {
    expect(retryDelayMs(3, 2000, fullJitter)).toBeGreaterThan(8000);
    expect(retryDelayMs(3, 2000, fullJitter)).toBeLessThanOrEqual(8800);
    const samples = Array.from({ length: 200 }, () => retryDelayMs(2, 1000));
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(2000);
    expect(Math.max(...samples)).toBeLessThanOrEqual(2200);
  });
  test("is capped at one hour, jitter included, however many failures", () => {
    expect(retryDelayMs(12, 2000, fullJitter)).toBe(MAX_RETRY_DELAY_MS);
    expect(retryDelayMs(100, 2000, fullJitter)).toBe(MAX_RETRY_DELAY_MS);
    expect(retryDelayMs(11, 2000, noJitter)).toBe(2_048_000);
  });
});

describe("retryAfterMs", () => {
  const cases: [string | null, number | null][] = [
    [null, null],
    ["", null],
    ["  ", null],
    ["0", 0],
    ["5", 5000],
    [" 120 ", 120_000],
    ["-3", null],
    ["1.5", null],
    ["soon", null],
    ["2026", 2_026_000],
    ["2026-01-01", null],
    ["Thu, 01 Jan 2026 00:00:30 GMT", 30_000],
    ["Wed, 31 Dec 2025 23:59:00 GMT", 0],
    ["Thu, 99 Foo 2026 00:00:30 GMT", null],
  ];
  for (const [header, expected] of cases) {
    test(`${JSON.stringify(header)} → ${expected}`, () => expect(retryAfterMs(header, NOW)).toBe(expected));
  }
});

describe("nextState", () => {
  const base = { baseMs: 1000, now: NOW, retryAfter: null, random: noJitter };
  const at = (ms: number) => new Date(NOW.getTime() + ms);

  test("success is success whatever the count", () => {
    expect(nextState({ ...base, outcome: "success", tries: 5, retryLimit: 5 })).toEqual({
      status: "success",
      nextAttemptAt: NOW,
    });
  });
  test("a retryable failure with attempts left goes back to pending after the backoff", () => {
    expect(nextState({ ...base, outcome: "retry", tries: 1, retryLimit: 5 })).toEqual({
      status: "pending",
      nextAttemptAt: at(1000),
    });
    expect(nextState({ ...base, outcome: "retry", tries: 3, retryLimit: 5 })).toEqual({
      status: "pending",
      nextAttemptAt: at(4000),
    });
  });
  test("retryLimit counts attempts in all: the attempt that reaches it is the last", () => {
    expect(nextState({ ...base, outcome: "retry", tries: 5, retryLimit: 5 }).status).toBe("failed");
    expect(nextState({ ...base, outcome: "retry", tries: 1, retryLimit: 1 }).status).toBe("failed");
  });
  test("a final answer fails at once", () => {
    expect(nextState({ ...base, outcome: "final", tries: 1, retryLimit: 5 }).status).toBe("failed");
  });
  test("Retry-After lengthens the wait", () => {
    expect(nextState({ ...base, outcome: "retry", tries: 1, retryLimit: 5, retryAfter: "30" }).nextAttemptAt).toEqual(
      at(30_000),
    );
    expect(
      nextState({ ...base, outcome: "retry", tries: 1, retryLimit: 5, retryAfter: "Thu, 01 Jan 2026 00:01:00 GMT" })
        .nextAttemptAt,
    ).toEqual(at(60_000));
  });
  test("Retry-After never shortens the backoff", () => {
    expect(nextState({ ...base, outcome: "retry", tries: 3, retryLimit: 5, retryAfter: "1" }).nextAttemptAt).toEqual(
      at(4000),
    );
  });
  test("Retry-After is capped at one hour", () => {
    expect(
      nextState({ ...base, outcome: "retry", tries: 1, retryLimit: 5, retryAfter: "86400" }).nextAttemptAt,
    ).toEqual(at(MAX_RETRY_DELAY_MS));
  });
  test("an unreadable Retry-After is ignored", () => {
    expect(
      nextState({ ...base, outcome: "retry", tries: 1, retryLimit: 5, retryAfter: "later" }).nextAttemptAt,
    ).toEqual(at(1000));
  });
});
