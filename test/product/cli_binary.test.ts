// The command line of the built binary, as an operator meets it: `--db` takes a plain path;
// what stops start-up (a port in use, a database that cannot be created or reached) is one line
// naming the setting and the cause, with no stack trace and exit code 2 — and a fresh database
// prints no admin token before the bind failed; a start prints where the API and dashboard are;
// `--help` lines its columns up.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BINARY, buildBinaryOnce } from "../support/binary";

let dir = "";
beforeAll(async () => {
  await buildBinaryOnce();
  dir = mkdtempSync(join(tmpdir(), "hookd-cli-"));
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** cleanEnv is the test's environment without HOOKD_* variables, plus `env`. */
function cleanEnv(env: Record<string, string> = {}): Record<string, string | undefined> {
  return { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("HOOKD_"))), ...env };
}

/** runToExit runs the binary with args until it exits (it is killed after 20 s) and answers what it printed. */
async function runToExit(args: string[], env: Record<string, string> = {}) {
  const proc = Bun.spawn([BINARY, ...args], { cwd: dir, env: cleanEnv(env), stdout: "pipe", stderr: "pipe" });
  const timer = setTimeout(() => proc.kill(), 20_000);
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  clearTimeout(timer);
  return { stdout, stderr, code };
}

/** expectOneLineRefusal checks a start-up refusal: exit 2, nothing on stdout, one line on stderr holding `parts`. */
function expectOneLineRefusal(res: { stdout: string; stderr: string; code: number }, parts: string[]) {
  expect(res.code).toBe(2);
  expect(res.stdout).toBe(""); // no admin token, no log line
  const lines = res.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]!.startsWith("hookd: ")).toBe(true);
  for (const part of parts) expect(lines[0]).toContain(part);
}

/** closedPort answers a port nothing listens on. */
function closedPort(): number {
  const s = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
  const port = s.port!;
  s.stop(true);
  return port;
}

/** startUntil starts `hookd serve` with args and reads its stdout until `done` holds; the caller kills it. */
async function startUntil(args: string[], done: (out: string) => boolean) {
  const proc = Bun.spawn([BINARY, "serve", ...args], { cwd: dir, env: cleanEnv(), stdout: "pipe", stderr: "pipe" });
  const reader = proc.stdout.getReader();
  let out = "";
  while (!done(out)) {
    const { value, done: ended } = await reader.read();
    if (ended) throw new Error(`hookd exited: ${out}${await new Response(proc.stderr).text()}`);
    out += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  void proc.stdout.pipeTo(new WritableStream());
  return { proc, out };
}

describe("--db", () => {
  test("a plain relative path is the embedded file, created in the working directory", async () => {
    const { proc, out } = await startUntil(["--db", "./plain.db", "--port", "0"], (o) => o.includes("dashboard"));
    try {
      const url = /"url":"(http:\/\/[^"]+)"/.exec(out)![1]!;
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect(out).toContain('"db":"file:./plain.db"');
      expect(existsSync(join(dir, "plain.db"))).toBe(true);
    } finally {
      proc.kill();
      await proc.exited;
    }
  });

  test("a missing directory whose parent exists is created; a missing parent is refused and not created", async () => {
    const { proc } = await startUntil(["--db", join(dir, "own", "x.db"), "--port", "0"], (o) =>
      o.includes("dashboard"),
    );
    proc.kill();
    await proc.exited;
    expect(existsSync(join(dir, "own", "x.db"))).toBe(true);

    const missing = join(dir, "no-such-parent", "dir", "x.db");
    const res = await runToExit(["serve", "--db", `file:${missing}`, "--port", "0"]);
    expectOneLineRefusal(res, ["--db (HOOKD_DB_URL)", `directory ${join(dir, "no-such-parent")} does not exist`]);
    expect(existsSync(join(dir, "no-such-parent"))).toBe(false);
  });

  test("a database file that cannot be created is one line naming HOOKD_DB_URL", async () => {
    // /proc takes no new files, even for root (the suite may run as root, where chmod stops nothing).
    const res = await runToExit(["serve", "--port", "0"], { HOOKD_DB_URL: "/proc/hookd-test.db" });
    expectOneLineRefusal(res, ["HOOKD_DB_URL: cannot open the database file:/proc/hookd-test.db: "]);
  });

  test("an unreachable database server is one line naming the setting and the URL", async () => {
    const port = closedPort();
    const res = await runToExit(["serve", "--db", `http://127.0.0.1:${port}`, "--port", "0"]);
    expectOneLineRefusal(res, [
      `--db (HOOKD_DB_URL): cannot reach the database server http://127.0.0.1:${port}: connection refused`,
    ]);
  });
});

test("a port in use is one line naming the setting; the fresh database gets no admin token", async () => {
  const taken = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
  try {
    const db = join(dir, "fresh-port", "hookd.db");
    const res = await runToExit(["serve", "--db", db], { HOOKD_PORT: String(taken.port) });
    expectOneLineRefusal(res, [`HOOKD_PORT: cannot listen on 127.0.0.1:${taken.port}: the port is in use`]);
    expect(existsSync(db)).toBe(false); // nothing was written: no token was made to be lost
  } finally {
    taken.stop(true);
  }
});

test("start prints the API and dashboard URLs: in the JSON listening line, and for a person on stderr", async () => {
  const { proc, out } = await startUntil(["--db", ":memory:", "--port", "0"], (o) =>
    /"msg":"listening"[^\n]*\n/.test(o),
  );
  try {
    // stdout holds JSON lines only (log collectors read it); the same URLs go to stderr as text.
    const listening = out
      .split("\n")
      .slice(0, -1)
      .map((l) => JSON.parse(l))
      .find((l) => l.msg === "listening");
    const base = listening.url;
    expect(listening).toMatchObject({ api: `${base}/api/`, dashboard: `${base}/_/` });
    expect((await fetch(`${base}/_/`)).status).toBe(200);
    proc.kill();
    await proc.exited;
    const text = await new Response(proc.stderr).text();
    expect(text).toContain(`API        ${base}/api/`);
    expect(text).toContain(`dashboard  ${base}/_/`);
  } finally {
    proc.kill();
    await proc.exited;
  }
});

test("--help lines its columns up: every variable and every meaning starts in one column", async () => {
  const res = await runToExit(["--help"]);
  expect(res.code).toBe(0);
  const rows = res.stdout.split("\n").filter((line) => /^ {2}(--\w+ +)? *HOOKD_\w+ {2,}\S/.test(line));
  expect(rows.length).toBeGreaterThan(20);
  expect(new Set(rows.map((row) => row.indexOf("HOOKD_"))).size).toBe(1);
  expect(new Set(rows.map((row) => row.search(/(?<=HOOKD_\w+ {2,})\S/))).size).toBe(1);
  for (const line of res.stdout.split("\n")) expect(line.length).toBeLessThanOrEqual(100);
});
