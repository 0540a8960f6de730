// retryWhileBusy: a statement the server answered SQLITE_BUSY did not commit, so it is sent
// again; any other error, or one past the time bound, goes to the caller.
import { expect, test } from "bun:test";
import { LibsqlError } from "@libsql/client";
import { isBusy, retryWhileBusy } from "../../src/db/busy_retry";
import { FakeTimers } from "../support/fake_timers";

const busy = () => new LibsqlError("SQLite error: database is locked", "SQLITE_BUSY");

test.each([
  ["SQLITE_BUSY from the server", busy(), true],
  ["a constraint error", new LibsqlError("UNIQUE constraint failed", "SQLITE_CONSTRAINT"), false],
  ["a network error", new TypeError("ECONNREFUSED"), false],
  ["not an object", "SQLITE_BUSY", false],
] as const)("isBusy: %s → %p", (_, err, expected) => {
  expect(isBusy(err)).toBe(expected);
});

test("a busy statement is sent again until it succeeds", async () => {
  let calls = 0;
  const result = await retryWhileBusy(async () => {
    if (++calls < 3) throw busy();
    return "done";
  });
  expect([result, calls]).toEqual(["done", 3]);
});

test("any other error is not retried", async () => {
  let calls = 0;
  await expect(
    retryWhileBusy(async () => {
      calls++;
      throw new LibsqlError("no such table: x", "SQLITE_ERROR");
    }),
  ).rejects.toThrow("no such table");
  expect(calls).toBe(1);
});

test("still busy past the bound: the last SQLITE_BUSY reaches the caller, the first answer after the bound", async () => {
  const time = new FakeTimers();
  const start = time.now();
  const calledAt: number[] = [];
  const outcome = retryWhileBusy(
    async () => {
      calledAt.push(time.now() - start);
      throw busy();
    },
    1_000,
    time,
  ).then(
    () => "answered",
    (err: Error) => err.message,
  );
  let settled: string | undefined;
  void outcome.then((o) => (settled = o));
  // Each pause is a fake timer: move time to it once the retry has armed it.
  for (let step = 0; step < 100_000 && settled === undefined; step++) {
    await Promise.resolve();
    if (time.armed > 0) time.advance(1);
  }
  expect(settled).toContain("database is locked");
  expect(calledAt.length).toBeGreaterThan(2);
  expect(calledAt.at(-2)!).toBeLessThan(1_000);
  expect(calledAt.at(-1)!).toBeGreaterThanOrEqual(1_000);
});
