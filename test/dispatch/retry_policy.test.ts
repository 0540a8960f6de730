import { describe, expect, test } from "bun:test";
import {
  attemptOutcome,
  attemptsAllowed,
  MAX_RETRY_AFTER_MS,
  nextState,
  retryAfterMs,
  retryDelayMs,
  type RetryPlan,
} from "../../src/dispatch/retry_policy";
import { DEFAULT_RETRY_SCHEDULE, scheduleMs, scheduleProblem } from "../../src/retry_schedule";

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

const DEFAULT: RetryPlan = { schedule: scheduleMs(DEFAULT_RETRY_SCHEDULE.split(",")), scale: 1 };
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

describe("the default schedule", () => {
  test("after the first attempt: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => retryDelayMs(n, DEFAULT, noJitter))).toEqual([
      5 * SECOND,
      5 * MINUTE,
      30 * MINUTE,
      2 * HOUR,
      5 * HOUR,
      10 * HOUR,
      10 * HOUR,
    ]);
  });
  test("8 attempts in all, the last about 27.6 hours after the first", () => {
    expect(attemptsAllowed(0, DEFAULT.schedule)).toBe(8);
    const total = DEFAULT.schedule.reduce((a, b) => a + b, 0);
    expect(total / HOUR).toBeCloseTo(27.6, 1);
  });
  test("a receiver down for a day is still tried after it: the 8th attempt comes 27.6 h after the first", () => {
    let at = 0;
    let tries = 1;
    while (
      nextState({
        outcome: "retry",
        tries,
        retryLimit: 0,
        plan: DEFAULT,
        retryAfter: null,
        now: new Date(at),
        random: noJitter,
      }).status === "pending"
    ) {
      at = nextState({
        outcome: "retry",
        tries,
        retryLimit: 0,
        plan: DEFAULT,
        retryAfter: null,
        now: new Date(at),
        random: noJitter,
      }).nextAttemptAt.getTime();
      tries++;
    }
    expect(tries).toBe(8);
    expect(at).toBeGreaterThan(24 * HOUR);
  });
});

describe("retryDelayMs", () => {
  test("HOOKD_RETRY_BASE_MS scales every delay by base / 2000", () => {
    const plan = { schedule: DEFAULT.schedule, scale: 20 / 2000 };
    expect([1, 2, 3].map((n) => retryDelayMs(n, plan, noJitter))).toEqual([50, 3_000, 18_000]);
  });
  test("past the end of the schedule (a retryLimit above it), the last delay repeats", () => {
    const plan = { schedule: [1000, 3000], scale: 1 };
    expect([1, 2, 3, 9].map((n) => retryDelayMs(n, plan, noJitter))).toEqual([1000, 3000, 3000, 3000]);
  });
  test("jitter adds at most 10%", () => {
    expect(retryDelayMs(2, DEFAULT, fullJitter)).toBeGreaterThan(5 * MINUTE);
    expect(retryDelayMs(2, DEFAULT, fullJitter)).toBeLessThanOrEqual(5.5 * MINUTE);
    const samples = Array.from({ length: 200 }, () => retryDelayMs(1, DEFAULT));
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(5000);
    expect(Math.max(...samples)).toBeLessThanOrEqual(5500);
  });
});

describe("attemptsAllowed", () => {
  test("retryLimit, when set, is the attempts in all, below or above the schedule's length", () => {
    expect(attemptsAllowed(3, DEFAULT.schedule)).toBe(3);
    expect(attemptsAllowed(12, DEFAULT.schedule)).toBe(12);
  });
  test("unset (0), one more than the schedule lists; an empty schedule allows the first attempt only", () => {
    expect(attemptsAllowed(0, [1, 2])).toBe(3);
    expect(attemptsAllowed(0, [])).toBe(1);
  });
});

describe("scheduleProblem", () => {
  const cases: [unknown, string | null][] = [
    ["5s", null],
    ["500ms", null],
    ["10h", null],
    ["7d", null],
    ["30", null],
    ["0s", "must be at least 1ms"],
    ["8d", "must be at most 7d"],
    ["5 minutes", "must be a duration such as 5s, 5m, 2h or 500ms"],
    ["-5s", "must be a duration such as 5s, 5m, 2h or 500ms"],
    [5, "must be a duration such as 5s, 5m, 2h or 500ms"],
    [null, "must be a duration such as 5s, 5m, 2h or 500ms"],
  ];
  for (const [entry, problem] of cases) {
    test(`${JSON.stringify(entry)} → ${problem}`, () => expect(scheduleProblem(entry)).toBe(problem));
  }
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
  // A doubling schedule from 1 s, so the numbers below read easily.
  const plan: RetryPlan = { schedule: [1000, 2000, 4000, 8000], scale: 1 };
  const base = { plan, now: NOW, retryAfter: null, random: noJitter };
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
    ).toEqual(at(MAX_RETRY_AFTER_MS));
  });
  test("a Retry-After below a long scheduled wait changes nothing", () => {
    expect(
      nextState({ ...base, plan: DEFAULT, outcome: "retry", tries: 4, retryLimit: 0, retryAfter: "3600" })
        .nextAttemptAt,
    ).toEqual(at(2 * HOUR));
  });
  test("without a retryLimit the schedule decides: its length plus the first", () => {
    expect(nextState({ ...base, outcome: "retry", tries: 4, retryLimit: 0 }).status).toBe("pending");
    expect(nextState({ ...base, outcome: "retry", tries: 5, retryLimit: 0 }).status).toBe("failed");
  });
  test("an unreadable Retry-After is ignored", () => {
    expect(
      nextState({ ...base, outcome: "retry", tries: 1, retryLimit: 5, retryAfter: "later" }).nextAttemptAt,
    ).toEqual(at(1000));
  });
});
