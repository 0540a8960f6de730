// What a SQL cron job may touch, on an embedded file (run in a job process), on ":memory:" and
// on a real sqld: collection tables, allowed functions, json_each/json_tree/generate_series, and
// nothing else. Every attack of issues 13 and 19 (with the exact payloads: a TCL-style
// parameter hiding fsdir, writefile, hookd's _jwt_keys, pragma tables named as strings) is
// refused with a 400 naming `sql` at create time, and a job written around the API (straight
// into _cron_jobs) fails its run naming the reason, with nothing reaching the host, hookd's
// tables or a record. Legitimate jobs still run and fire the capture triggers.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { sqldAvailable, startSqld, type Sqld } from "../support/sqld";
import { tempDbUrl } from "../support/temp_db";
import { makeTestApp, type TestApp } from "../support/test_app";

const EVIL_FILE = `/tmp/hookd-sandbox-${process.pid}.db`;
const WRITTEN_FILE = `/tmp/hookd-sandbox-${process.pid}.txt`;
// "/etc/hostname" spelled so no check of the text could see it.
const HOSTNAME = "char(47,101,116,99,47,104,111,115,116,110,97,109,101)";

// [what it tries, the SQL, what the refusal must say]
const ATTACKS: [string, string, RegExp][] = [
  // Issue 19, item 1: SQLite reads `$a(')` as one parameter, so fsdir is code, not a string.
  // (sqld parses statements itself first, and cannot parse these: refused too.)
  [
    "a TCL-style parameter hiding fsdir (issue 19)",
    `INSERT INTO notes (title, body) SELECT value, 'j' FROM json_each('[1]') WHERE $a(') IS NULL UNION ALL SELECT hex(data), name FROM fsdir(${HOSTNAME}) --'`,
    /parameter|virtual table|cannot parse/,
  ],
  [
    "the same with : and @",
    `SELECT 1 WHERE :a(') IS NULL UNION ALL SELECT name FROM fsdir('/') --'`,
    /parameter|virtual table|cannot parse/,
  ],
  [
    "a TCL :: parameter",
    `SELECT $a::b(') UNION ALL SELECT name FROM fsdir('/') --')`,
    /parameter|virtual table|cannot parse/,
  ],
  ["a plain parameter", "SELECT ?1", /parameter/],
  [
    "fsdir with json_each named beside it",
    `SELECT j.value, f.name FROM json_each('[1]') j, fsdir('/') f`,
    /virtual table/,
  ],
  // Item 2: on :memory: only the text was checked.
  ["write a host file (issue 19)", `SELECT writefile('${WRITTEN_FILE}', 'owned')`, /writefile/],
  ["read a host file", "SELECT readfile('/etc/passwd')", /readfile/],
  ["readfile inside json_each", "SELECT value FROM json_each(readfile('/etc/passwd'))", /readfile/],
  ["read the JWT private key (issue 19)", "INSERT INTO notes (title) SELECT private_jwk FROM _jwt_keys", /_jwt_keys/],
  // Item 3: a string where a table name goes, beside an allowed table-valued function.
  [
    "'pragma_table_list' as a string (issue 19)",
    "INSERT INTO notes (title) SELECT p.name FROM json_each('[1]'), 'pragma_table_list' p",
    /virtual table/,
  ],
  [
    "'pragma_database_list' as a string (issue 19)",
    "INSERT INTO notes (title) SELECT p.file FROM json_each('[1]'), 'pragma_database_list' p",
    /virtual table/,
  ],
  [
    "'pragma_integrity_check' as a string (issue 19)",
    "SELECT * FROM json_each('[1]'), 'pragma_integrity_check' p",
    /virtual table/,
  ],
  [
    "a pragma table in double quotes, upper case",
    `SELECT * FROM generate_series(1, 2), "PRAGMA_TABLE_LIST"`,
    /virtual table/,
  ],
  ["a pragma table in brackets", "SELECT * FROM [pragma_database_list]", /virtual table/],
  ["a schema-qualified pragma table", "SELECT * FROM main.pragma_table_list", /virtual table/],
  ["a pragma function", "SELECT * FROM pragma_table_info('notes')", /virtual table/],
  ["the database's pages", "SELECT * FROM dbstat", /virtual table|no such table/],
  ["fsdir named as a string", "SELECT * FROM 'fsdir' WHERE name = '/etc'", /virtual table/],
  ["list a host directory", "SELECT name FROM fsdir('/etc')", /virtual table/],
  [
    "a CTE named json_each over a hookd table",
    "WITH json_each(v) AS (SELECT private_jwk FROM _jwt_keys) SELECT v FROM json_each",
    /_jwt_keys/,
  ],
  ["attach another file", `ATTACH DATABASE '${EVIL_FILE}' AS evil`, /ATTACH/],
  ["detach", "DETACH DATABASE main", /DETACH/],
  ["load an extension", "SELECT load_extension('/tmp/evil.so')", /load_extension/],
  ["the encryption settings", "SELECT sqlite3mc_config('cipher')", /sqlite3mc_config/],
  ["replace the admin token hash", "UPDATE _settings SET value = 'x'", /_settings/],
  ["drop the delivery log", "DROP TABLE _webhook_logs", /schema changes/],
  [
    "a trigger that copies every row",
    "CREATE TRIGGER spy AFTER INSERT ON notes BEGIN INSERT INTO notes (title) VALUES ('copy'); END",
    /schema changes/,
  ],
  ["a view", "CREATE VIEW v AS SELECT 1", /schema changes/],
  ["alter a collection", "ALTER TABLE notes ADD COLUMN x TEXT", /schema changes/],
  ["writable schema", "PRAGMA writable_schema = 1", /PRAGMA/],
  ["a pragma behind a comment", "/* x */ PRAGMA database_list", /PRAGMA/],
  ["a pragma after an empty statement", ";PRAGMA database_list", /PRAGMA/],
  ["vacuum into a file", `VACUUM INTO '${EVIL_FILE}'`, /VACUUM/],
  ["transaction control", "COMMIT", /transaction control/],
  ["EXPLAIN", "EXPLAIN SELECT * FROM _jwt_keys", /EXPLAIN/],
  ["a hookd table in double quotes", 'SELECT * FROM "_jwt_keys"', /_jwt_keys/],
  ["a hookd table in brackets", "SELECT * FROM [_settings]", /_settings/],
  ["a hookd table in backquotes", "SELECT * FROM `_cron_jobs`", /_cron_jobs/],
  ["a hookd table as a string", "SELECT * FROM '_jwt_keys'", /_jwt_keys/],
  ["the schema table as a string", "SELECT * FROM 'sqlite_master'", /sqlite_schema/],
  ["the temp schema", "SELECT * FROM sqlite_temp_master", /other than this one|sqlite_temp/],
  ["a schema-qualified hookd table", "SELECT * FROM main._settings", /_settings/],
  ["comments between the words", "SELECT/**/*/**/FROM/**/_jwt_keys", /_jwt_keys/],
  ["a second statement after a line comment", "SELECT 1; -- harmless\nDROP TABLE _webhook_logs", /statement 2/],
  ["the schema inside a CTE", "WITH s AS (SELECT * FROM sqlite_schema) SELECT * FROM s", /sqlite_schema/],
  ["a collection filled from a hookd table", "INSERT INTO notes (title) SELECT value FROM _settings", /_settings/],
  ["SQL run by a function", "SELECT sha3_query('DROP TABLE _webhook_logs')", /sha3_query/],
  ["a temp table", "CREATE TEMP TABLE t (x)", /schema changes/],
];

// [what it does, the SQL, rows it changes, deliveries its writes enqueue]
const LEGIT: [string, string, number, number][] = [
  [
    "insert, update and delete",
    "INSERT INTO notes (title) VALUES ('a'); UPDATE notes SET title = 'b' WHERE title = 'a'; DELETE FROM notes WHERE title = 'nothing'",
    2,
    2,
  ],
  [
    "a recursive CTE feeding an insert",
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5) INSERT INTO notes (title) SELECT 'n' || x FROM c",
    5,
    5,
  ],
  [
    "a read with functions",
    "SELECT count(*), max(created), strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-30 days'), json_object('a', 1), iif(1, 'y', 'n'), row_number() OVER () FROM notes",
    0,
    0,
  ],
  ["rows from json_each", `INSERT INTO notes (title) SELECT value FROM json_each('["j1","j2"]')`, 2, 2],
  [
    "rows from json_tree",
    `INSERT INTO notes (title) SELECT key FROM json_tree('{"t1":1}') WHERE type = 'integer'`,
    1,
    1,
  ],
  ["rows from generate_series", "INSERT INTO notes (title) SELECT 'g' || value FROM generate_series(1, 3)", 3, 3],
  [
    "a quoted collection name and a hookd-like string value",
    `UPDATE "notes" SET title = '_draft' WHERE title = 'j1'`,
    1,
    1,
  ],
  ["a delete", "DELETE FROM notes WHERE title LIKE 'g%'", 3, 0],
  [
    "an upsert",
    "INSERT INTO notes (id, title) VALUES ('fixed', 'u1') ON CONFLICT (id) DO UPDATE SET title = 'u2'",
    1,
    1,
  ],
];

function describeBackend(name: string, enabled: boolean, dbUrl: () => Promise<string>, cleanup: () => Promise<void>) {
  describe.skipIf(!enabled)(name, () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await makeTestApp({ dbUrl: await dbUrl() });
      const created = await t.request("POST", "/api/collections", {
        name: "notes",
        fields: [
          { name: "title", type: "text" },
          { name: "body", type: "text" },
        ],
        triggers: [
          { action: "create", url: "http://127.0.0.1:9/n" },
          { action: "update", url: "http://127.0.0.1:9/n" },
        ],
      });
      expect(created.status).toBe(200);
    }, 30_000);
    afterAll(async () => {
      t?.deps.sqlJobs.close();
      t?.deps.db.close();
      await cleanup();
    });

    test.each(ATTACKS)("refused at create: %s", async (_what, sql, says) => {
      const res = await t.request("POST", "/api/cron", {
        name: "attack",
        schedule: "* * * * *",
        type: "sql",
        active: false,
        sql,
      });
      expect(res.status).toBe(400);
      expect(res.body.data.sql.code).toBe("not_allowed");
      expect(res.body.message).toMatch(says);
    });

    test("refused on update too, and the stored job is unchanged", async () => {
      expect(
        (
          await t.request("POST", "/api/cron", {
            name: "ok",
            schedule: "0 0 1 1 *",
            type: "sql",
            active: false,
            sql: "SELECT 1",
          })
        ).status,
      ).toBe(200);
      const res = await t.request("PATCH", "/api/cron/ok", { sql: "SELECT * FROM _jwt_keys" });
      expect(res.status).toBe(400);
      expect(res.body.data.sql.message).toContain("_jwt_keys");
      expect((await t.request("GET", "/api/cron/ok")).body.sql).toBe("SELECT 1");
    });

    test("GraphQL refuses the same jobs with extensions.code VALIDATION, on create and update", async () => {
      const created = await t.graphql(
        `mutation { createCronJob(input: { name: "gql-attack", schedule: "* * * * *", type: "sql", sql: "SELECT readfile('/etc/passwd')" }) { name } }`,
      );
      expect(created.body.errors[0].extensions.code).toBe("VALIDATION");
      expect(created.body.errors[0].message).toContain("readfile");
      await t.graphql(
        `mutation { createCronJob(input: { name: "gql-ok", schedule: "0 0 1 1 *", type: "sql", sql: "SELECT 1", active: false }) { name } }`,
      );
      const updated = await t.graphql(
        `mutation { updateCronJob(name: "gql-ok", input: { sql: "DROP TABLE _webhook_logs" }) { name } }`,
      );
      expect(updated.body.errors[0].extensions.code).toBe("VALIDATION");
      expect(updated.body.errors[0].message).toContain("schema changes");
    });

    test("jobs written around the API fail their run naming the reason; nothing reaches the host, hookd's tables or a record", async () => {
      let n = 0;
      const sneak = async (sql: string) => {
        const name = `sneak-${++n}`;
        await t.deps.db.execute({
          sql: "INSERT INTO _cron_jobs (id, name, schedule, timezone, type, sql, database, active, created, updated) VALUES (?, ?, '0 0 1 1 *', 'UTC', 'sql', ?, 'default', 0, '', '')",
          args: [name, name, sql],
        });
        return (await t.request("POST", `/api/cron/${name}/run`)).body;
      };
      for (const [what, sql, says] of ATTACKS) {
        const run = await sneak(sql);
        expect(run.status, what).toBe("failed");
        expect(run.error, what).toStartWith("refused: ");
        expect(run.error, what).toMatch(says);
      }
      expect(existsSync(EVIL_FILE)).toBe(false);
      expect(existsSync(WRITTEN_FILE)).toBe(false);
      const drop = await sneak("DELETE FROM notes; DROP TABLE _webhook_logs");
      expect(drop.error).toStartWith("refused: statement 2");
      const records = await t.deps.db.execute("SELECT title, body FROM notes");
      expect(records.rows).toEqual([]);
      const databases = await t.deps.db.execute("PRAGMA database_list");
      expect(databases.rows.map((r) => r.name)).not.toContain("evil");
    });

    test("a virtual table made outside hookd (fts5, with its own tables) is refused; other jobs are still checked", async () => {
      await t.deps.db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS outside USING fts5(body)");
      const refused = await t.request("POST", "/api/cron", {
        name: "fts",
        schedule: "0 0 1 1 *",
        type: "sql",
        active: false,
        sql: "SELECT * FROM outside WHERE outside MATCH 'x'",
      });
      expect(refused.status).toBe(400);
      expect(refused.body.message).toMatch(/virtual table|outside/);
      const shadow = await t.request("POST", "/api/cron", {
        name: "fts-data",
        schedule: "0 0 1 1 *",
        type: "sql",
        active: false,
        sql: "SELECT * FROM outside_data",
      });
      expect(shadow.status).toBe(400);
      expect(
        (
          await t.request("POST", "/api/cron", {
            name: "after-fts",
            schedule: "0 0 1 1 *",
            type: "sql",
            active: false,
            sql: "SELECT 1",
          })
        ).status,
      ).toBe(200);
      await t.deps.db.execute("DROP TABLE outside");
    });

    test("collection jobs run, count their rows and fire the capture triggers", async () => {
      for (const [i, [what, sql, rows, deliveries]] of LEGIT.entries()) {
        const before = Number(
          (await t.deps.db.execute("SELECT count(*) AS n FROM _webhook_logs WHERE collection = 'notes'")).rows[0]!.n,
        );
        const created = await t.request("POST", "/api/cron", {
          name: `legit-${i}`,
          schedule: "0 0 1 1 *",
          type: "sql",
          active: false,
          sql,
        });
        expect(created.status, what).toBe(200);
        const run = (await t.request("POST", `/api/cron/legit-${i}/run`)).body;
        expect(run, what).toMatchObject({ status: "success", rowsChanged: rows, error: null });
        const after = Number(
          (await t.deps.db.execute("SELECT count(*) AS n FROM _webhook_logs WHERE collection = 'notes'")).rows[0]!.n,
        );
        expect(after - before, what).toBe(deliveries);
      }
    });
  });
}

let sqld: Sqld | undefined;
describeBackend(
  "embedded file (jobs run in a job process)",
  true,
  async () => tempDbUrl("hookd-sandbox-"),
  async () => {},
);
describeBackend(
  ":memory:",
  true,
  async () => ":memory:",
  async () => {},
);
describeBackend(
  "libSQL server (sqld)",
  sqldAvailable,
  async () => (sqld = await startSqld()).url,
  async () => sqld?.stop(),
);
