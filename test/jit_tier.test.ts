// `hookd serve` runs without JavaScriptCore's optimizing tier (FTL): main.ts starts the very
// process again (execve, same PID) with BUN_JSC_useFTLJIT=0 unless the variable is already
// set. With the built binary: the server that answers is the process that was started, its
// environment has the setting, and under load the runtime compiles nothing with FTL (it
// reports each FTL compile when asked to); a user's own setting is kept and then FTL runs.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { buildBinaryOnce, startBinary, type RunningBinary } from "./support/binary";
import { tempDbUrl } from "./support/temp_db";

const started: RunningBinary[] = [];
beforeAll(() => buildBinaryOnce(), 120_000);
afterAll(async () => {
  for (const s of started) s.proc.kill("SIGTERM");
  await Promise.all(started.map((s) => s.proc.exited));
});

const environOf = (pid: number) => readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");

/** ftlCompiles drives the server with requests, stops it and counts the FTL compiles it reported on stderr. */
async function ftlCompiles(s: RunningBinary): Promise<number> {
  for (let i = 0; i < 4_000; i++) await fetch(`${s.url}/healthz`);
  s.proc.kill("SIGTERM");
  await s.proc.exited;
  const stderr = await new Response(s.proc.stderr).text();
  return stderr.split("\n").filter((line) => line.includes("using FTL")).length;
}

test("serve re-executes itself with BUN_JSC_useFTLJIT=0: same PID, and no FTL compiles under load", async () => {
  const s = await startBinary(tempDbUrl("hookd-jit-"), {
    HOOKD_ADMIN_TOKEN: "jit-token",
    BUN_JSC_reportFTLCompileTimes: "1",
  });
  started.push(s);
  expect(environOf(s.proc.pid)).toContain("BUN_JSC_useFTLJIT=0");
  expect(readFileSync(`/proc/${s.proc.pid}/cmdline`, "utf8").split("\0")).toContain("serve");
  expect(await ftlCompiles(s)).toBe(0);
}, 60_000);

test("a BUN_JSC_useFTLJIT the user set is kept: with 1 the optimizing tier compiles as usual", async () => {
  const s = await startBinary(tempDbUrl("hookd-jit-"), {
    HOOKD_ADMIN_TOKEN: "jit-token",
    BUN_JSC_reportFTLCompileTimes: "1",
    BUN_JSC_useFTLJIT: "1",
  });
  started.push(s);
  expect(environOf(s.proc.pid)).toContain("BUN_JSC_useFTLJIT=1");
  expect(await ftlCompiles(s)).toBeGreaterThan(0);
}, 60_000);
