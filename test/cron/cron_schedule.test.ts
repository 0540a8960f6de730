// Pure schedule arithmetic and script splitting, no I/O.
import { describe, expect, test } from "bun:test";
import {
  compileSchedule,
  nextRunAt,
  nextTickAfter,
  scheduleProblem,
  ticksBetween,
  timezoneProblem,
} from "../../src/cron/cron_schedule";
import { splitSqlStatements } from "../../src/lib/sql_split";

describe("schedules", () => {
  test.each([
    ["*/5 * * * *", "UTC", "2026-01-01T00:00:30.000Z", "2026-01-01T00:05:00.000Z"],
    ["*/1 * * * * *", "UTC", "2026-01-01T00:00:00.500Z", "2026-01-01T00:00:01.000Z"],
    ["0 2 * * *", "Europe/Paris", "2026-01-01T00:00:00.000Z", "2026-01-01T01:00:00.000Z"],
    ["0 2 * * *", "America/New_York", "2026-07-01T00:00:00.000Z", "2026-07-01T06:00:00.000Z"],
    ["0 9 * * 0", "UTC", "2026-01-01T00:00:00.000Z", "2026-01-04T09:00:00.000Z"], // Sunday = 0
  ])("%s in %s after %s fires at %s", (pattern, tz, from, expected) => {
    expect(nextTickAfter(compileSchedule(pattern, tz), new Date(from))?.toISOString()).toBe(expected);
  });

  test.each([
    ["bad", '"bad" is not a schedule: it has 1 field; use 5 fields'],
    ["61 * * * *", 'the minute field "61" has 61, outside 0-59'],
    ["* * * * * * *", "it has 7 fields; use 5 fields"],
    ["0 0 31 2 *", "never fires"],
    ["", "it has 0 fields"],
    ["0 0 * * MON-FRX", 'the day-of-week field "MON-FRX" has "FRX", which is not a number or a name such as MON'],
    ["*/0 * * * *", 'has a step "0"'],
    ["0 25 * * *", 'the hour field "25" has 25, outside 0-23'],
    ["0 0 0 * *", 'the day-of-month field "0" has 0, outside 1-31'],
  ])("%j is refused and the message says why, in hookd's words", (pattern, says) => {
    const problem = scheduleProblem(pattern, "UTC");
    expect(problem).toContain(says);
    expect(problem).not.toContain("..");
    expect(problem).not.toMatch(/configuration format|Invalid value for/);
  });

  test.each(["0 9 * * MON-FRI", "0 0 1 JAN,JUL *", "0 0 L * *", "*/15 0-6/2 ? * 1,3,5", "0 0 * * 7"])(
    "%j passes the field check",
    (pattern) => expect(scheduleProblem(pattern, "UTC")).toBeNull(),
  );

  test("time zones are IANA names", () => {
    expect(timezoneProblem("Europe/Berlin")).toBeNull();
    expect(timezoneProblem("Mars/Olympus")).toContain("not an IANA time zone");
  });

  test("ticksBetween lists the ticks strictly inside the interval, bounded", () => {
    const every = compileSchedule("* * * * * *", "UTC");
    const from = new Date("2026-01-01T00:00:00.000Z");
    expect(ticksBetween(every, from, new Date("2026-01-01T00:00:03.000Z"), 10).map((d) => d.toISOString())).toEqual([
      "2026-01-01T00:00:01.000Z",
      "2026-01-01T00:00:02.000Z",
    ]);
    expect(ticksBetween(every, from, new Date("2026-01-02T00:00:00.000Z"), 5)).toHaveLength(5);
  });

  test("a paused job has no next run", () => {
    const now = new Date("2026-01-01T00:00:00.000Z");
    expect(nextRunAt({ schedule: "0 * * * *", timezone: "UTC", active: false }, now)).toBeNull();
    expect(nextRunAt({ schedule: "0 * * * *", timezone: "UTC", active: true }, now)).toBe("2026-01-01T01:00:00.000Z");
  });
});

describe("splitSqlStatements", () => {
  test.each([
    ["one statement, no semicolon", "SELECT 1", ["SELECT 1"]],
    [
      "semicolons in literals and comments",
      "INSERT INTO t VALUES ('a;b'); -- c;d\nUPDATE \"x;y\" SET v = 1;",
      ["INSERT INTO t VALUES ('a;b')", '-- c;d\nUPDATE "x;y" SET v = 1'],
    ],
    ["escaped quotes", "SELECT 'it''s; fine'; SELECT 2", ["SELECT 'it''s; fine'", "SELECT 2"]],
    ["empty and comment-only pieces", ";; /* only; a comment */ ;SELECT 3;", ["SELECT 3"]],
    [
      "a trigger body keeps its inner statements",
      "CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET v = CASE WHEN 1 THEN 2 END; DELETE FROM u; END; SELECT 4",
      [
        "CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET v = CASE WHEN 1 THEN 2 END; DELETE FROM u; END",
        "SELECT 4",
      ],
    ],
  ])("%s", (_name, script, expected) => {
    expect(splitSqlStatements(script)).toEqual(expected);
  });
});
