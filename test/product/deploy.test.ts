// docs/deploy/: the systemd unit passes `systemd-analyze verify` (with ExecStart pointed at the
// built binary) and keeps its hardening rating; every system call and socket family the binary
// uses while it serves, delivers, runs a SQL job and stops (traced with strace) is one the unit's
// SystemCallFilter and RestrictAddressFamilies allow; the unit's and the Dockerfile's settings
// are ones hookd accepts. Without systemd-analyze or strace those checks say why and are skipped.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../../src/config";
import { BINARY, buildBinaryOnce } from "../support/binary";

const DEPLOY = join(import.meta.dir, "../../docs/deploy");
const unitText = await Bun.file(join(DEPLOY, "hookd.service")).text();
const dockerfile = await Bun.file(join(DEPLOY, "Dockerfile")).text();
const ANALYZE = Bun.which("systemd-analyze");
const STRACE = Bun.which("strace");
if (!ANALYZE) console.warn("deploy: systemd unit checks skipped, systemd-analyze not installed");
else if (!STRACE) console.warn("deploy: the system call check is skipped, strace not installed");

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

/** allowedSyscalls expands a systemd system call group (`@system-service`) into the calls it allows. */
async function allowedSyscalls(group: string): Promise<Set<string>> {
  const groups = new Map<string, string[]>();
  let current = "";
  for (const line of (await analyze(["syscall-filter"])).stdout.split("\n")) {
    if (line.startsWith("@")) groups.set((current = line.split(/\s/)[0]!), []);
    else if (current && /^\s+[@a-z0-9_-]+\s*$/.test(line)) groups.get(current)!.push(line.trim());
  }
  const out = new Set<string>();
  const expand = (name: string, seen: Set<string>) => {
    for (const item of groups.get(name) ?? [])
      if (!item.startsWith("@")) out.add(item);
      else if (!seen.has(item)) expand(item, seen.add(item));
  };
  expand(group, new Set([group]));
  return out;
}

/** unitValues gives the values of one directive of the unit, split at white space. */
const unitValues = (directive: string) =>
  unitText
    .split("\n")
    .filter((l) => l.startsWith(`${directive}=`))
    .flatMap((l) => l.slice(directive.length + 1).split(/\s+/));

test.skipIf(!ANALYZE || !STRACE)(
  "every system call and socket family hookd uses is one the unit allows",
  async () => {
    const trace = join(dir, "trace.txt");
    const proc = Bun.spawn(
      [STRACE!, "-f", "-qq", "-o", trace, BINARY, "serve", "--db", join(dir, "hookd.db"), "--port", "0"],
      {
        env: { ...process.env, HOOKD_ADMIN_TOKEN: "t", HOOKD_ALLOW_NETS: "127.0.0.0/8", BUN_JSC_useFTLJIT: "0" },
        stdout: "pipe",
        stderr: "inherit",
      },
    );
    let out = "";
    const reader = proc.stdout.getReader();
    while (!/"url":"(http:[^"]+)"/.test(out)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`hookd exited: ${out}`);
      out += new TextDecoder().decode(value);
    }
    reader.releaseLock();
    void proc.stdout.pipeTo(new WritableStream());
    const url = /"url":"(http:[^"]+)"/.exec(out)![1]!;
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${url}${path}`, {
        method,
        headers: { authorization: "Bearer t", "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    // A trigger to a closed port: the delivery attempt connects and fails, as real ones may.
    const closed = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
    const closedPort = closed.port;
    closed.stop(true);
    const triggers = [{ action: "create", url: `http://127.0.0.1:${closedPort}/h` }];
    expect(
      (await call("POST", "/api/collections", { name: "p", schema: [{ name: "t", type: "text" }], triggers })).status,
    ).toBe(200);
    expect((await call("POST", "/api/collections/p/records", { t: "x" })).status).toBe(200);
    const job = { name: "j", schedule: "0 2 * * *", type: "sql", sql: "DELETE FROM p WHERE t = 'none'" };
    expect((await call("POST", "/api/cron", job)).status).toBe(200);
    expect(await (await call("POST", "/api/cron/j/run")).json()).toMatchObject({ status: "success" });
    expect((await call("GET", "/metrics")).status).toBe(200);
    expect((await fetch(`${url}/_/`)).status).toBe(200);
    // SIGTERM to hookd itself (strace's first traced process); strace exits with it.
    const hookdPid = Number(/^(\d+) /.exec(await Bun.file(trace).text())![1]);
    process.kill(hookdPid, "SIGTERM");
    expect(await proc.exited).toBe(0);

    const text = await Bun.file(trace).text();
    const used = new Set([...text.matchAll(/^\d+ +([a-z0-9_]+)\(/gm)].map((m) => m[1]!));
    expect(used.size).toBeGreaterThan(30);
    const group = unitValues("SystemCallFilter");
    expect(group).toEqual(["@system-service"]);
    const allowed = await allowedSyscalls("@system-service");
    expect([...used].filter((name) => !allowed.has(name))).toEqual([]);
    const families = new Set([...text.matchAll(/socket(?:pair)?\((AF_[A-Z0-9]+)/g)].map((m) => m[1]!));
    const allowedFamilies = new Set(unitValues("RestrictAddressFamilies"));
    expect([...families].filter((f) => !allowedFamilies.has(f))).toEqual([]);
  },
  120_000,
);
