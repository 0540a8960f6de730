// Backups over REST and GraphQL (SPEC §13): write one while hookd serves, list, download (a
// SQLite file), delete; names that could reach outside HOOKD_BACKUP_DIR are a 400 naming
// `name`; a database with no file (:memory:, a libSQL server) is a 409 that says so; only
// `admin` may touch backups (they hold the secrets).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runBackupPass } from "../src/backups/backup_schedule";
import { assertFileDatabase } from "../src/backups/backup_store";
import { captureLog } from "./support/log_capture";
import { bearer, mintKeyFor } from "./support/keys";
import { runScenarios } from "./support/scenario";
import { tempDbUrl } from "./support/temp_db";
import { makeTestApp, type TestApp } from "./support/test_app";

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

test("scheduled passes (HOOKD_BACKUP_EVERY) keep the newest HOOKD_BACKUP_KEEP, one instance at a time, each logged", async () => {
  const own = mkdtempSync(join(tmpdir(), "hookd-backups-kept-"));
  const log = captureLog();
  // A pass is due again at once (the setting itself is at least 1m).
  const deps = { ...t.deps, log, config: { ...t.deps.config, backupDir: own, backupEveryMs: 1, backupKeep: 2 } };
  const made: string[] = [];
  for (let i = 0; i < 3; i++) {
    // Null while the last pass's next run (1 ms on) is not yet due.
    let name: string | null = null;
    while (name === null) name = await runBackupPass(deps);
    made.push(name);
  }
  expect(readdirSync(own).sort()).toEqual(made.slice(1).sort());
  expect(log.lines.filter((l) => l.msg === "backup written")).toHaveLength(3);
  // Another instance while one holds the lease: not its turn.
  const { claimJob } = await import("../src/deliveries/job_lease");
  const lease = await claimJob(t.deps.db, "backup", "other", new Date(Date.now() + 10), 60_000);
  expect(lease).not.toBeNull();
  expect(await runBackupPass({ ...deps, config: { ...deps.config, instanceId: "me" } })).toBeNull();
  rmSync(own, { recursive: true, force: true });
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
