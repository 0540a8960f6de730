// HOOKD_JIT (docs/decisions/011-jit-tier-is-a-setting.md), with the built binary: by default
// `hookd serve` starts itself again in place (same PID) with BUN_JSC_useFTLJIT=0, so nothing
// compiles with FTL under load (the runtime reports each FTL compile when asked to); HOOKD_JIT=ftl
// or a BUN_JSC_useFTLJIT chosen by the deployment runs as started. The "listening" line says which.
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

// The environment as the runtime read it at start: that of the program running under this PID now.
const environOf = (pid: number) => readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
const listeningLine = (s: RunningBinary) => JSON.parse(s.started.split("\n").find((l) => l.includes('"listening"'))!);

/** start runs the binary with `env` over a test environment that sets no JIT option of its own. */
async function start(env: Record<string, string>): Promise<RunningBinary> {
  const s = await startBinary(tempDbUrl("hookd-jit-"), {
    HOOKD_ADMIN_TOKEN: "jit-token",
    BUN_JSC_useFTLJIT: undefined as unknown as string,
    HOOKD_JIT: undefined as unknown as string,
    ...env,
  });
  started.push(s);
  return s;
}

/** ftlCompiles drives the server with requests, stops it and counts the FTL compiles it reported on stderr. */
async function ftlCompiles(s: RunningBinary): Promise<number> {
  for (let i = 0; i < 4_000; i++) await fetch(`${s.url}/healthz`);
  s.proc.kill("SIGTERM");
  await s.proc.exited;
  const stderr = await new Response(s.proc.stderr).text();
  return stderr.split("\n").filter((line) => line.includes("using FTL")).length;
}

test("by default hookd serve restarts itself in place with FTL off: same PID, the line says dfg, nothing compiles with FTL", async () => {
  const s = await start({ BUN_JSC_reportFTLCompileTimes: "1" });
  expect(listeningLine(s).jitTier).toBe("dfg");
  expect(environOf(s.proc.pid)).toContain("BUN_JSC_useFTLJIT=0");
  expect(await ftlCompiles(s)).toBe(0);
}, 60_000);

test("HOOKD_JIT=ftl runs as started, with the optimizing tier, and the line says ftl", async () => {
  const s = await start({ HOOKD_JIT: "ftl" });
  expect(listeningLine(s).jitTier).toBe("ftl");
  expect(environOf(s.proc.pid).some((v) => v.startsWith("BUN_JSC_useFTLJIT="))).toBe(false);
}, 60_000);

test("BUN_JSC_useFTLJIT chosen by the deployment wins over HOOKD_JIT and is left as it is", async () => {
  const s = await start({ BUN_JSC_useFTLJIT: "1", BUN_JSC_reportFTLCompileTimes: "1" });
  expect(listeningLine(s).jitTier).toBe("ftl");
  expect(environOf(s.proc.pid)).toContain("BUN_JSC_useFTLJIT=1");
  expect(await ftlCompiles(s)).toBeGreaterThan(0);
}, 60_000);
