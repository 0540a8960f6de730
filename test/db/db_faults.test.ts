// When the database cannot write (a full disk, a file that became read-only) or cannot be
// reached (a stopped libSQL server), writes are a 503 that says so, reads keep working where
// the database can still read, /healthz says degraded, and everything comes back by itself —
// nothing that was acknowledged is lost. A database made by a newer hookd is refused at start.
import { afterAll, describe, expect, test } from "bun:test";
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "libsql";
import { bootDeps } from "../../src/boot";
import { testConfig } from "../../src/config";
import { databaseFault } from "../../src/db/db_errors";
import { DatabaseTooNewError } from "../../src/db/migrate";
import { MIGRATIONS } from "../../src/db/migrations";
import { silentLogger } from "../../src/runtime/logger";
import { startDispatcher } from "../../src/dispatch/dispatcher";
import { errorFields } from "../../src/errors";
import { VERSION } from "../../src/version";
import { BINARY, buildBinaryOnce } from "../support/binary";
import { startReceiver } from "../support/receiver";
import { sqldAvailable, startSqld } from "../support/sqld";
import { tempDbUrl } from "../support/temp_db";
import { makeTestApp, type TestApp } from "../support/test_app";

function run(...cmd: string[]): { ok: boolean; err: string } {
  const p = Bun.spawnSync(cmd, { stderr: "pipe" });
  return { ok: p.exitCode === 0, err: p.stderr.toString().trim() };
}

/** fillRemainingSpace appends to a filler file until the disk refuses: a write that failed leaves no room for a smaller one. */
function fillRemainingSpace(dir: string): void {
  const fd = openSync(join(dir, "filler"), "a");
  try {
    for (;;) writeSync(fd, Buffer.alloc(4096));
  } catch {
    // ENOSPC: full
  } finally {
    closeSync(fd);
  }
}

/** waitUntil polls a condition (never a fixed sleep) until it holds, or fails after timeoutMs. */
async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(20);
  }
}

const health = async (t: TestApp) => {
  const res = await t.app.fetch(new Request("http://hookd.test/healthz"));
  return { status: res.status, body: (await res.json()) as any };
};

// A small tmpfs of our own (we run as root in CI); skipped, saying why, where mounting is not allowed.
const mountDir = mkdtempSync(join(tmpdir(), "hookd-full-"));
const mounted = run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mountDir);
if (!mounted.ok) console.log(`skipping the full-disk test: cannot mount a tmpfs (${mounted.err || "not permitted"})`);
afterAll(() => {
  if (mounted.ok) run("umount", "-l", mountDir);
  rmSync(mountDir, { recursive: true, force: true });
});

test.skipIf(!mounted.ok)(
  "a full disk: writes are a 503 saying so, reads and /healthz answer, it recovers when space is back, nothing acknowledged is lost",
  async () => {
    const receiver = startReceiver();
    const lines: { level: string; msg: string }[] = [];
    const log = {
      debug() {},
      info: (msg: string) => void lines.push({ level: "info", msg }),
      warn() {},
      error: (msg: string) => void lines.push({ level: "error", msg }),
    };
    const t = await makeTestApp({ dbUrl: `file:${join(mountDir, "hookd.db")}`, leaseMs: 1_000 }, { log });
    const dispatcher = await startDispatcher(t.deps);
    let pin: Database.Database | undefined;
    try {
      expect(
        (
          await t.request("POST", "/api/collections", {
            name: "notes",
            fields: [{ name: "body", type: "text" }],
            triggers: [{ action: "create", url: `${receiver.url}/notes` }],
          })
        ).status,
      ).toBe(200);
      // A reader holding a snapshot keeps checkpoints from restarting the WAL, so once the disk is
      // full no write can reuse WAL space instead (which made this test pass or fail by timing).
      pin = new Database(join(mountDir, "hookd.db"));
      pin.exec("BEGIN");
      pin.prepare("SELECT count(*) FROM notes").get();
      const acknowledged: string[] = [];
      const body = "x".repeat(20_000);
      let refused: { status: number; body: any } | null = null;
      for (let i = 0; i < 500 && !refused; i++) {
        const res = await t.request("POST", "/api/collections/notes/records", { id: `n${i}`, body });
        if (res.status === 200) acknowledged.push(res.body.id);
        else refused = res;
      }
      expect(refused).not.toBeNull();
      expect(refused!.status).toBe(503);
      expect(refused!.body.code).toBe("DATABASE_FULL");
      expect(refused!.body.message).toContain("disk is full");
      expect(acknowledged.length).toBeGreaterThan(0);
      fillRemainingSpace(mountDir);

      // Still full: GraphQL says the same, reads work, /healthz is degraded.
      const gql = await t.graphql(`mutation { createRecord(collection: "notes", data: { body: "${body}" }) }`);
      expect(gql.body.errors[0].extensions.code).toBe("DATABASE_FULL");
      const list = await t.request("GET", "/api/collections/notes/records?perPage=1");
      expect(list.status).toBe(200);
      expect(list.body.totalItems).toBe(acknowledged.length);
      const degraded = await health(t);
      expect(degraded.status).toBe(503);
      expect(degraded.body).toMatchObject({ status: "degraded", database: { fault: "full" } });
      // Heard once in the log, not once per failed write.
      const failing = lines.filter((l) => l.msg.startsWith("database writes are failing"));
      expect(failing).toEqual([{ level: "error", msg: expect.stringContaining("503") }]);

      // Space comes back: /healthz sees it by itself, writes work again.
      pin.exec("ROLLBACK");
      expect(run("mount", "-o", "remount,size=64m", mountDir).ok).toBe(true);
      await waitUntil("/healthz to answer ok", async () => (await health(t)).status === 200);
      expect(lines).toContainEqual({ level: "info", msg: "database writes work again" });
      const after = await t.request("POST", "/api/collections/notes/records", { id: "after", body: "small" });
      expect(after.status).toBe(200);
      acknowledged.push("after");

      // Every acknowledged record is there, and is delivered.
      const stored = await t.deps.db.execute("SELECT id FROM notes");
      expect(stored.rows.map((r) => String(r.id)).sort()).toEqual([...acknowledged].sort());
      await waitUntil("every acknowledged record to be delivered", async () => {
        const got = new Set(receiver.requests.map((r) => r.json?.record?.id));
        return acknowledged.every((id) => got.has(id));
      });
    } finally {
      pin?.close();
      await dispatcher.stop().catch(() => {}); // its last writes may meet the full disk when a check above failed
      t.deps.db.close();
      await receiver.stop();
    }
  },
  60_000,
);

// A read-only file: the database's folder bind-mounted read-only (as a read-only volume would be).
// SQLite then opens the file read-only, and stays so until hookd is started again.
test.skipIf(!mounted.ok)(
  "a read-only database file: writes are a 503 saying read-only, reads work, /healthz is degraded",
  async () => {
    const writable = mkdtempSync(join(tmpdir(), "hookd-rw-"));
    const readOnly = mkdtempSync(join(tmpdir(), "hookd-ro-"));
    const first = await makeTestApp({ dbUrl: `file:${join(writable, "hookd.db")}` });
    expect((await first.request("POST", "/api/collections", { name: "notes", fields: [] })).status).toBe(200);
    expect((await first.request("POST", "/api/collections/notes/records", { id: "kept" })).status).toBe(200);
    first.deps.db.close();
    let t: TestApp | undefined;
    try {
      expect(run("mount", "--bind", writable, readOnly).ok).toBe(true);
      expect(run("mount", "-o", "remount,bind,ro", readOnly).ok).toBe(true);
      t = await makeTestApp({ dbUrl: `file:${join(readOnly, "hookd.db")}` });
      const res = await t.request("POST", "/api/collections/notes/records", { id: "lost" });
      expect(res.status).toBe(503);
      expect(res.body.code).toBe("DATABASE_READ_ONLY");
      expect(res.body.message).toContain("read-only");
      const gql = await t.graphql(`mutation { createRecord(collection: "notes", data: {}) }`);
      expect(gql.body.errors[0].extensions.code).toBe("DATABASE_READ_ONLY");
      expect((await t.request("GET", "/api/collections/notes/records/kept")).status).toBe(200);
      expect(await health(t)).toMatchObject({
        status: 503,
        body: { status: "degraded", database: { fault: "read_only" } },
      });
    } finally {
      t?.deps.db.close();
      run("umount", "-l", readOnly);
      rmSync(writable, { recursive: true, force: true });
      rmSync(readOnly, { recursive: true, force: true });
    }
  },
);

describe.skipIf(!sqldAvailable)("a libSQL server that stops answering", () => {
  test("paused: /healthz is degraded within its probe timeout, then ok again; stopped: a 503 naming the server", async () => {
    const sqld = await startSqld();
    const t = await makeTestApp({ dbUrl: sqld.url });
    try {
      expect((await health(t)).status).toBe(200);
      process.kill(sqld.pid, "SIGSTOP");
      await waitUntil("/healthz to say degraded", async () => (await health(t)).status === 503);
      expect((await health(t)).body).toMatchObject({ status: "degraded", database: { fault: "timeout" } });
      process.kill(sqld.pid, "SIGCONT");
      await waitUntil("/healthz to say ok", async () => (await health(t)).status === 200);

      await sqld.stop();
      const write = await t.request("POST", "/api/collections", { name: "notes", fields: [] });
      expect(write.status).toBe(503);
      expect(write.body.code).toBe("DATABASE_UNREACHABLE");
      expect(write.body.message).toContain(sqld.url);
      const gql = await t.graphql("{ collections { totalItems } }");
      expect(gql.body.errors[0].extensions.code).toBe("DATABASE_UNREACHABLE");
      await waitUntil(
        "/healthz to say unreachable",
        async () => (await health(t)).body.database?.fault === "unreachable",
      );
    } finally {
      t.deps.db.close();
    }
  }, 30_000);
});

describe("a database made by a newer hookd", () => {
  const newer = Math.max(...MIGRATIONS.map((m) => m.version)) + 5;
  const url = tempDbUrl();
  const path = url.slice("file:".length);

  test("is refused before anything is changed, naming both versions", async () => {
    const first = await makeTestApp({ dbUrl: url });
    first.deps.db.close();
    const raw = new Database(path);
    raw.prepare("INSERT INTO _migrations (version, name, applied_at) VALUES (?, 'future', 'x')").run([newer]);
    raw.prepare("UPDATE _settings SET value = '9.9.9' WHERE key = 'schema_written_by'").run();
    raw.close();
    const err = await bootDeps(testConfig({ dbUrl: url }), silentLogger).then(
      () => null,
      (e: Error) => e,
    );
    expect(err).toBeInstanceOf(DatabaseTooNewError);
    expect(err!.message).toContain(`schema is version ${newer} (written by hookd 9.9.9)`);
    expect(err!.message).toContain(`this hookd ${VERSION}`);
  });

  test("the built binary's hookd serve exits with status 2 and one line, before serving or changing anything", async () => {
    await buildBinaryOnce();
    const proc = Bun.spawn([BINARY, "serve", "--db", url, "--port", "0"], {
      env: { ...process.env, HOOKD_ADMIN_TOKEN: "test-token" },
      stdout: "pipe",
      stderr: "pipe",
    });
    const [code, stdout, stderr] = await Promise.all([
      proc.exited,
      new Response(proc.stdout).text(),
      new Response(proc.stderr).text(),
    ]);
    expect(code).toBe(2);
    expect(stdout).not.toContain("listening");
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toContain(`schema is version ${newer} (written by hookd 9.9.9)`);
    expect(stderr).toContain(`this hookd ${VERSION}`);
  }, 120_000);
});

test("an unexpected error's log fields carry its message, even where the stack does not (libsql's errors)", () => {
  const db = new Database(":memory:");
  let thrown: unknown;
  try {
    db.prepare("SELECT * FROM nowhere").all();
  } catch (err) {
    thrown = err;
  }
  db.close();
  const wrapped = new Error("the transaction was rolled back", { cause: thrown });
  expect(errorFields(wrapped)).toMatchObject({
    error: "the transaction was rolled back",
    cause: { error: "no such table: nowhere", code: "SQLITE_ERROR" },
  });
});

test("in a group commit that fails, writes hear why and reads still answer, from what was committed", async () => {
  const { openDatabase } = await import("../../src/db/client");
  const db = await openDatabase(tempDbUrl());
  try {
    await db.execute("CREATE TABLE t (x)");
    await db.execute("CREATE TABLE doomed (x)");
    await db.execute("CREATE TRIGGER doom AFTER INSERT ON doomed BEGIN SELECT RAISE(ROLLBACK, 'doomed'); END");
    // One turn, so one transaction: the RAISE(ROLLBACK) ends it for all three.
    const [write, read, doomed] = await Promise.allSettled([
      db.execute("INSERT INTO t VALUES (1)"),
      db.execute("SELECT count(*) AS n FROM t"),
      db.execute("INSERT INTO doomed VALUES (1)"),
    ]);
    expect([write.status, doomed.status]).toEqual(["rejected", "rejected"]);
    expect(String((doomed as PromiseRejectedResult).reason.message)).toBe("doomed");
    const fields = errorFields((write as PromiseRejectedResult).reason) as { cause: { error: string } };
    expect(fields.cause.error).toBe("doomed");
    expect(String((write as PromiseRejectedResult).reason)).toContain("(doomed)"); // String(err), as most log lines write it
    expect(read).toMatchObject({ status: "fulfilled", value: { rows: [{ n: 0 }] } });
  } finally {
    db.close();
  }
});

const coded = (message: string, code: string, more: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), { code, ...more });

test.each([
  ["SQLITE_FULL", coded("database or disk is full", "SQLITE_FULL"), "full"],
  ["SQLITE_READONLY_DBMOVED", coded("attempt to write a readonly database", "SQLITE_READONLY_DBMOVED"), "read_only"],
  ["SQLITE_IOERR_WRITE", coded("disk I/O error", "SQLITE_IOERR_WRITE"), "io"],
  ["SQLITE_BUSY", coded("database is locked", "SQLITE_BUSY"), "locked"],
  [
    "fetch refused (http://)",
    coded("Unable to connect. Is the computer able to access the url?", "ECONNREFUSED"),
    "unreachable",
  ],
  [
    "a WebSocket that failed (libsql://)",
    coded("HRANA_WEBSOCKET_ERROR: failed", "HRANA_WEBSOCKET_ERROR"),
    "unreachable",
  ],
  [
    "a proxy's 502",
    coded("Server returned HTTP status 502", "SERVER_ERROR", { cause: { status: 502 } }),
    "unreachable",
  ],
  ["a server's 400", coded("Server returned HTTP status 400", "SERVER_ERROR", { cause: { status: 400 } }), null],
  ["a full disk behind a wrapper", new Error("rolled back", { cause: coded("full", "SQLITE_FULL") }), "full"],
  ["a constraint", coded("UNIQUE constraint failed: posts.id", "SQLITE_CONSTRAINT_PRIMARYKEY"), null],
  ["a bug", new TypeError("undefined is not a function"), null],
] as const)("databaseFault: %s", (_, err, fault) => {
  expect(databaseFault(err)).toBe(fault);
});
