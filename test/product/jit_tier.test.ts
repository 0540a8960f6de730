// The JIT tier is a deployment setting (docs/decisions/004-jit-tier-is-a-deployment-setting.md):
// hookd runs as it was started, and its "listening" line says which tier runs. With the built
// binary: BUN_JSC_useFTLJIT=0 in the environment means no FTL compiles under load (the runtime
// reports each FTL compile when asked to); without it the optimizing tier is on.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { buildBinaryOnce, startBinary, type RunningBinary } from "../support/binary";
import { tempDbUrl } from "../support/temp_db";

const started: RunningBinary[] = [];
beforeAll(() => buildBinaryOnce(), 120_000);
afterAll(async () => {
  for (const s of started) s.proc.kill("SIGTERM");
  await Promise.all(started.map((s) => s.proc.exited));
});

const environOf = (pid: number) => readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
const listeningLine = (s: RunningBinary) => JSON.parse(s.started.split("\n").find((l) => l.includes('"listening"'))!);

/** ftlCompiles drives the server with requests, stops it and counts the FTL compiles it reported on stderr. */
async function ftlCompiles(s: RunningBinary): Promise<number> {
  for (let i = 0; i < 4_000; i++) await fetch(`${s.url}/healthz`);
  s.proc.kill("SIGTERM");
  await s.proc.exited;
  const stderr = await new Response(s.proc.stderr).text();
  return stderr.split("\n").filter((line) => line.includes("using FTL")).length;
}

test("with BUN_JSC_useFTLJIT=0 set by the deployment, the start-up line says dfg and nothing compiles with FTL", async () => {
  const s = await startBinary(tempDbUrl("hookd-jit-"), {
    HOOKD_ADMIN_TOKEN: "jit-token",
    BUN_JSC_reportFTLCompileTimes: "1",
    BUN_JSC_useFTLJIT: "0",
  });
  started.push(s);
  expect(listeningLine(s).jitTier).toBe("dfg");
  expect(await ftlCompiles(s)).toBe(0);
}, 60_000);

test("with the optimizing tier left on, hookd runs as started and the start-up line says ftl", async () => {
  const s = await startBinary(tempDbUrl("hookd-jit-"), { HOOKD_ADMIN_TOKEN: "jit-token", BUN_JSC_useFTLJIT: "1" });
  started.push(s);
  expect(listeningLine(s).jitTier).toBe("ftl");
  expect(environOf(s.proc.pid)).toContain("BUN_JSC_useFTLJIT=1");
}, 60_000);
