// Backups over REST and GraphQL (docs/operating.md): write one while hookd serves, list, download (a
// SQLite file), delete; names that could reach outside HOOKD_BACKUP_DIR are a 400 naming
// `name`; a database with no file (:memory:, a libSQL server) is a 409 that says so; only
// `admin` may touch backups (they hold the secrets).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runBackupPass, startBackupSchedule } from "../../src/backups/backup_schedule";
import { claimJob } from "../../src/deliveries/job_lease";
import { FakeTimers } from "../support/fake_timers";
import { waitUntil } from "../support/wait";
import { assertFileDatabase } from "../../src/backups/backup_store";
import { captureLog } from "../support/log_capture";
import { bearer, mintKeyFor } from "../support/keys";
import { runScenarios } from "../support/scenario";
import { tempDbUrl } from "../support/temp_db";
import { makeTestApp, type TestApp } from "../support/test_app";

const dir = mkdtempSync(join(tmpdir(), "hookd-backups-"));
let t: TestApp;
let first = "";
beforeAll(async () => {
  t = await makeTestApp({ dbUrl: tempDbUrl(), backupDir: dir });
  await t.request("POST", "/api/collections", { name: "notes", fields: [{ name: "title", type: "text" }] });
  await t.request("POST", "/api/collections/notes/records", { title: "kept" });
});
afterAll(() => {
  t.deps.db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("REST", () => {
  test("POST writes a backup, GET lists it and downloads a SQLite file with the data", async () => {
    const made = await t.request("POST", "/api/backups");
    expect(made.status).toBe(200);
    expect(made.body.name).toMatch(/^hookd-\d{8}T\d{9}Z\.db$/);
    expect(made.body.bytes).toBeGreaterThan(0);
    first = made.body.name;
    const list = await t.request("GET", "/api/backups");
    expect(list.body.map((b: any) => b.name)).toEqual([first]);
    const res = await t.app.fetch(
      new Request(`http://hookd.test/api/backups/${first}`, { headers: { authorization: "Bearer test-token" } }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/vnd.sqlite3");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 15))).toBe("SQLite format 3");
    expect(bytes.length).toBe(made.body.bytes);
    // No half-written file is left beside it.
    expect(readdirSync(dir)).toEqual([first]);
  });

  runScenarios(
    () => t,
    [
      {
        name: "a name with a path in it is refused",
        method: "GET",
        url: "/api/backups/..%2F..%2Fetc%2Fpasswd",
        expectedStatus: 400,
        expectedContent: ['"name"'],
      },
      { name: "a hidden name is refused", method: "DELETE", url: "/api/backups/.hookd.db", expectedStatus: 400 },
      {
        name: "a name not ending in .db is refused",
        method: "GET",
        url: "/api/backups/hookd.sql",
        expectedStatus: 400,
      },
      { name: "an unknown backup is a 404", method: "GET", url: "/api/backups/nope.db", expectedStatus: 404 },
      {
        name: "DELETE of an unknown backup is a 404",
        method: "DELETE",
        url: "/api/backups/nope.db",
        expectedStatus: 404,
      },
    ],
  );

  test("files in the folder that are not backups are not listed", async () => {
    writeFileSync(join(dir, "notes.txt"), "x");
    expect((await t.request("GET", "/api/backups")).body.map((b: any) => b.name)).toEqual([first]);
    rmSync(join(dir, "notes.txt"));
  });

  test("only admin: a key with every other scope gets a 403 naming admin", async () => {
    const key = await mintKeyFor(t, ["collections:read", "logs:read", "secrets:read", "keys:write", "metrics:read"]);
    const res = await t.request("POST", "/api/backups", undefined, bearer(key));
    expect(res.status).toBe(403);
    expect(res.body.data.scope.message).toBe("admin");
  });
});

describe("GraphQL", () => {
  test("createBackup, backups and deleteBackup", async () => {
    const made = await t.graphql("mutation { createBackup { name bytes downloadUrl } }");
    const name = made.body.data.createBackup.name;
    expect(made.body.data.createBackup.downloadUrl).toBe(`/api/backups/${name}`);
    const list = await t.graphql("{ backups { name } }");
    expect(list.body.data.backups.map((b: any) => b.name)).toContain(name);
    const gone = await t.graphql(`mutation { deleteBackup(name: "${name}") }`);
    expect(gone.body.data.deleteBackup).toBe(true);
    const bad = await t.graphql(`mutation { deleteBackup(name: "../x.db") }`);
    expect(bad.body.errors[0].extensions.code).toBe("VALIDATION");
  });
});

test("HOOKD_BACKUP_EVERY in fake time: a backup at start and each interval, the newest HOOKD_BACKUP_KEEP kept, each logged", async () => {
  const own = mkdtempSync(join(tmpdir(), "hookd-backups-kept-"));
  const timers = new FakeTimers(Date.now());
  const log = captureLog();
  const s = await makeTestApp(
    { dbUrl: tempDbUrl(), backupDir: own, backupEveryMs: 3_600_000, backupKeep: 2 },
    { clock: timers.clock, timers, log },
  );
  const written = () => log.lines.filter((l) => l.msg === "backup written").length;
  const schedule = startBackupSchedule(s.deps);
  await waitUntil("the backup made at start", () => written() === 1);
  // Checked every minute, due every hour: the 59 checks within the hour make none (the count
  // of three at the end says so), the 60th makes the second.
  timers.advance(59 * 60_000);
  timers.advance(60_000);
  await waitUntil("the second backup", () => written() === 2);
  timers.advance(3_600_000);
  await waitUntil("the third backup", () => written() === 3);
  await schedule.stop();
  expect(written()).toBe(3);
  expect(readdirSync(own)).toHaveLength(2);
  expect(log.lines.at(-1)!.fields.pruned).toHaveLength(1);
  // Another instance holding the lease: not this one's turn.
  const lease = await claimJob(s.deps.db, "backup", "other", timers.clock.now(), 60_000);
  expect(lease).toBeNull(); // not due: the last pass set the next run an hour on
  s.deps.db.close();
  rmSync(own, { recursive: true, force: true });
});

test("one instance at a time: a pass while another holds the lease does nothing", async () => {
  const lease = await claimJob(t.deps.db, "backup", "other", new Date(), 60_000);
  expect(lease).not.toBeNull();
  expect(await runBackupPass({ ...t.deps, config: { ...t.deps.config, instanceId: "me" } })).toBeNull();
});

describe("a database with no file", () => {
  test(":memory: is a 409 that says so", async () => {
    const mem = await makeTestApp({ backupDir: dir });
    const res = await mem.request("POST", "/api/backups");
    expect(res.status).toBe(409);
    expect(res.body.message).toContain("in memory");
  });
  test("a libSQL server is told to back up the server's data (docs/operating.md)", () => {
    expect(() => assertFileDatabase("http://127.0.0.1:8080")).toThrow(/sqld.*docs\/operating\.md/);
  });
});
