// Tests wait for conditions, not for time: a fixed sleep that "should be enough" is what fails
// on a busy machine, and what makes the suite slow. This counts the fixed sleeps of 100 ms or
// more left in test/ and fails above the few that are allowed (test/support/wait.ts has the
// ways to wait instead; test/support/fake_timers.ts makes long waits take no time).
import { expect, test } from "bun:test";
import { Glob } from "bun";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fixedSleeps } from "../support/fixed_sleeps";

// Issue 21's bound. Left (December 2026, 2): checkpointer's pause for a crashing thread to
// show, and throttle's slow receiver (how long it answers is the scenario, not a wait of the test).
const MAX_FIXED_SLEEPS = 5;

test(`test/ has at most ${MAX_FIXED_SLEEPS} fixed sleeps of 100 ms or more`, () => {
  const root = join(import.meta.dir, "..");
  const found: string[] = [];
  for (const file of new Glob("**/*.ts").scanSync(root)) {
    if (file === "product/fixed_sleeps.test.ts") continue; // its examples below are not waits
    for (const sleep of fixedSleeps(readFileSync(join(root, file), "utf8")))
      if (sleep.ms >= 100) found.push(`test/${file}:${sleep.line} ${sleep.text} (${sleep.ms} ms)`);
  }
  if (found.length > MAX_FIXED_SLEEPS)
    console.log(`fixed sleeps (wait for a condition instead, see test/support/wait.ts):\n${found.join("\n")}`);
  expect(found.length).toBeLessThanOrEqual(MAX_FIXED_SLEEPS);
});

test("what counts as a fixed sleep: a constant wait, not a helper's parameter", () => {
  const source = [
    "const PAUSE_MS = 300;",
    "const HALF = PAUSE_MS / 2;",
    "await Bun.sleep(1_500);",
    "Bun.sleepSync(PAUSE_MS);",
    "await Bun.sleep(HALF + 50);",
    "await new Promise((resolve) => setTimeout(resolve, 250));",
    "await Bun.sleep(5);",
    "await Bun.sleep(everyMs);",
    "if (answer.delayMs) await Bun.sleep(answer.delayMs);",
    "await Bun.sleep(i % 25);",
  ].join("\n");
  expect(fixedSleeps(source).map((s) => [s.line, s.ms])).toEqual([
    [3, 1500],
    [4, 300],
    [5, 200],
    [6, 250],
    [7, 5],
  ]);
});
