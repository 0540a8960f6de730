// docs/deploy/: the systemd unit passes `systemd-analyze verify` (with ExecStart pointed at the
// built binary) and keeps its hardening rating; the unit's and the Dockerfile's settings are
// ones hookd accepts. Without systemd-analyze the unit checks say why and are skipped.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../src/config";
import { BINARY, buildBinaryOnce } from "./support/binary";

const DEPLOY = join(import.meta.dir, "../docs/deploy");
const unitText = await Bun.file(join(DEPLOY, "hookd.service")).text();
const dockerfile = await Bun.file(join(DEPLOY, "Dockerfile")).text();
const ANALYZE = Bun.which("systemd-analyze");
if (!ANALYZE) console.warn("deploy: systemd unit checks skipped, systemd-analyze not installed");

let dir = "";
let unit = "";
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "hookd-deploy-"));
  if (!ANALYZE) return;
  await buildBinaryOnce();
  // verify checks that ExecStart's program exists; the unit names where it is installed.
  unit = join(dir, "hookd.service");
  await Bun.write(unit, unitText.replaceAll("/usr/local/bin/hookd", BINARY));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function analyze(args: string[]) {
  const proc = Bun.spawn([ANALYZE!, ...args], { stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { stdout, stderr, code };
}

test.skipIf(!ANALYZE)("the systemd unit passes systemd-analyze verify without a warning", async () => {
  const res = await analyze(["verify", unit]);
  expect(res.stderr).toBe("");
  expect(res.code).toBe(0);
});

test.skipIf(!ANALYZE)("the unit is hardened: systemd-analyze security rates it 2.0 or better", async () => {
  const res = await analyze(["security", "--offline=true", "--threshold=20", unit]);
  expect(res.stdout).toMatch(/Overall exposure level for hookd\.service: [0-1]\.\d|2\.0/);
  expect(res.code).toBe(0);
  for (const line of ["DynamicUser=yes", "ProtectSystem=strict", "StateDirectory=hookd", "NoNewPrivileges=yes"])
    expect(unitText.split("\n")).toContain(line);
});

/** assignments reads NAME=value pairs from the unit's Environment= lines or the Dockerfile's ENV lines. */
function assignments(text: string, directive: RegExp): Record<string, string> {
  const lines = text.split("\n").filter((l) => directive.test(l));
  const pairs = lines.flatMap((l) => l.replace(directive, "").trim().split(/\s+/));
  return Object.fromEntries(pairs.map((p) => [p.slice(0, p.indexOf("=")), p.slice(p.indexOf("=") + 1)]));
}

test("the settings the unit and the Dockerfile give are ones hookd accepts", () => {
  const fromUnit = assignments(unitText, /^Environment=/);
  const fromDocker = assignments(dockerfile, /^ENV /);
  for (const env of [fromUnit, fromDocker]) {
    expect(env.BUN_JSC_useFTLJIT).toBe("0");
    const hookd = Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith("HOOKD_")));
    expect(() => loadConfig({}, hookd)).not.toThrow();
  }
  expect(loadConfig({}, fromDocker).dbUrl).toBe("file:/data/hookd.db");
  expect(unitText).toContain("ExecStart=/usr/local/bin/hookd serve --db /var/lib/hookd/hookd.db");
});
