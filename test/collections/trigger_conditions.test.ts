// Conditions and changed columns are decided inside the capture trigger: a write that does not
// match leaves no _webhook_logs row, whether it came through the API, raw SQL or a SQL cron
// job — on the embedded database and on sqld alike.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { MAX_CONDITION_DEPTH } from "../../src/collections/condition_parse";
import { databaseBackends } from "../support/sqld";
import { makeTestApp, type TestApp } from "../support/test_app";

const HOOK = "https://example.com/hook";
const FIELDS = [
  { name: "title", type: "text" },
  { name: "status", type: "select", options: { values: ["draft", "published"] } },
  { name: "views", type: "number" },
  { name: "done", type: "bool" },
  { name: "meta", type: "json" },
];

const backends = databaseBackends();

for (const [backend, open] of backends) {
  describe(`capture decides in the writing statement (${backend})`, () => {
    let t: TestApp;
    let stop: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      const db = await open();
      stop = db.stop;
      t = await makeTestApp({ dbUrl: db.url });
    });
    afterAll(async () => {
      t.deps.db.close();
      await stop?.();
    });

    async function collection(name: string, triggers: Record<string, unknown>[]): Promise<void> {
      const res = await t.request("POST", "/api/collections", { name, fields: FIELDS, triggers });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    async function logs(name: string): Promise<{ action: string; record_id: string; payload: string }[]> {
      const rs = await t.deps.db.execute({
        sql: "SELECT action, record_id, payload FROM _webhook_logs WHERE collection = ? ORDER BY rowid",
        args: [name],
      });
      return rs.rows.map((r) => ({
        action: String(r.action),
        record_id: String(r.record_id),
        payload: String(r.payload),
      }));
    }
    const sql = (statement: string) => t.deps.db.execute(statement);

    test("API writes: only matching creates, transitions and deletes are captured", async () => {
      await collection("posts", [
        { action: "create", url: HOOK, condition: "status = 'published' && views > 10" },
        { action: "update", url: HOOK, condition: "status = 'published' && old.status != 'published'" },
        { action: "delete", url: HOOK, condition: "done = true" },
      ]);
      const write = async (method: string, path: string, body?: unknown) => {
        const res = await t.request(method, `/api/collections/posts/records${path}`, body);
        expect(res.status).toBeLessThan(300);
        return res.body;
      };
      await write("POST", "", { id: "a", title: "A", status: "draft", views: 50 });
      await write("POST", "", { id: "b", title: "B", status: "published", views: 5 });
      await write("POST", "", { id: "c", title: "C", status: "published", views: 11, done: true });
      expect((await logs("posts")).map((l) => `${l.action}:${l.record_id}`)).toEqual(["create:c"]);

      await write("PATCH", "/a", { title: "A2" }); // still a draft
      await write("PATCH", "/a", { status: "published" }); // draft → published
      await write("PATCH", "/a", { title: "A3" }); // already published
      await write("PATCH", "/c", { views: 12 });
      await write("DELETE", "/b"); // done is null
      await write("DELETE", "/c"); // done is true
      expect((await logs("posts")).map((l) => `${l.action}:${l.record_id}`)).toEqual([
        "create:c",
        "update:a",
        "delete:c",
      ]);
    });

    test("raw SQL writes follow the same conditions, bools stored as 0/1 included", async () => {
      await collection("raw", [
        { action: "create", url: HOOK, condition: "done = true || title ~ 'URGENT'" },
        { action: "update", url: HOOK, condition: "old.done = false && done = true" },
      ]);
      await sql(
        "INSERT INTO raw (id, title, done) VALUES ('r1', 'calm', 0), ('r2', 'an urgent one', 0), ('r3', 'x', 1), ('r4', NULL, NULL)",
      );
      await sql("UPDATE raw SET done = 1 WHERE id IN ('r1', 'r4')"); // r4 was null, not false
      await sql("UPDATE raw SET title = 'again' WHERE id = 'r1'");
      expect((await logs("raw")).map((l) => `${l.action}:${l.record_id}`)).toEqual([
        "create:r2",
        "create:r3",
        "update:r1",
      ]);
    });

    test("columns: an update trigger fires only when a listed field changed value", async () => {
      await collection("cols", [{ action: "update", url: HOOK, columns: ["status", "views"] }]);
      await sql("INSERT INTO cols (id, status, views, title) VALUES ('k', 'draft', 1, 't')");
      await sql("UPDATE cols SET title = 'other' WHERE id = 'k'");
      await sql("UPDATE cols SET status = 'draft', views = 1.0 WHERE id = 'k'"); // same values
      await sql("UPDATE cols SET views = 2 WHERE id = 'k'");
      await sql("UPDATE cols SET status = NULL WHERE id = 'k'");
      await sql("UPDATE cols SET status = NULL WHERE id = 'k'");
      const res = await t.request("PATCH", "/api/collections/cols/records/k", { status: "published" });
      expect(res.status).toBe(200);
      const payloads = (await logs("cols")).map((l) => JSON.parse(l.payload));
      expect(payloads.map((p) => [p.oldRecord.status, p.record.status, p.record.views])).toEqual([
        ["draft", "draft", 2],
        ["draft", null, 2],
        [null, "published", 2],
      ]);
    });

    test("a SQL cron job's writes are filtered the same way", async () => {
      await collection("jobs", [
        { action: "update", url: HOOK, condition: "status = 'published'", columns: ["status"] },
      ]);
      await sql(
        "INSERT INTO jobs (id, status, views) VALUES ('j1', 'draft', 1), ('j2', 'draft', 100), ('j3', 'published', 100)",
      );
      const created = await t.request("POST", "/api/cron", {
        name: "publish",
        schedule: "0 0 1 1 *",
        type: "sql",
        sql: "UPDATE jobs SET status = 'published' WHERE views > 10",
      });
      expect(created.status).toBe(200);
      const run = await t.request("POST", "/api/cron/publish/run");
      expect(run.body.status).toBe("success");
      expect(run.body.rowsChanged).toBe(2);
      expect((await logs("jobs")).map((l) => l.record_id)).toEqual(["j2"]);
    });

    test("no condition makes a write fail: odd values written by raw SQL compare quietly", async () => {
      await collection("odd", [
        {
          action: "create",
          url: HOOK,
          condition: "meta = 'x' || meta ~ 'x' || views > 3 || done = true || title ~ meta || old.meta != meta",
        },
        {
          action: "update",
          url: HOOK,
          condition: "meta != old.meta && views >= old.views",
          columns: ["meta", "views"],
        },
      ]);
      // (Blobs are left out: the payload's json_object refuses them, with or without a condition.)
      await sql("INSERT INTO odd (id, meta, views, done, title) VALUES ('o1', '{broken', 'lots', 'yes', 'a')");
      await sql("INSERT INTO odd (id, meta, views, done, title) VALUES ('o2', '[1,', -1, 2, 'x')");
      await sql("INSERT INTO odd (id, meta) VALUES ('o3', '\"x\"')");
      await sql("UPDATE odd SET meta = 'nul', views = 'more' WHERE id = 'o1'");
      expect((await logs("odd")).map((l) => `${l.action}:${l.record_id}`)).toEqual([
        "create:o1",
        "create:o2",
        "create:o3",
        "update:o1",
      ]);
      expect(Number((await sql("SELECT count(*) AS n FROM odd")).rows[0]!.n)).toBe(3);
    });

    test("injection attempts in literals stay literals; the longest and deepest conditions install and run", async () => {
      // Every operand holds, with the heaviest SQL (json on both sides) at every level.
      const deepest =
        Array.from({ length: MAX_CONDITION_DEPTH }, (_, i) => `old.meta !~ meta ${i % 2 ? "&&" : "||"} (`).join("") +
        "meta !~ old.title" +
        ")".repeat(MAX_CONDITION_DEPTH);
      let longest = 'title = "x\'); DROP TABLE inj; --"';
      while (longest.length < 1980) longest += " || title = 'it\\'s'";
      await collection("inj", [
        { action: "create", url: HOOK, condition: longest },
        { action: "update", url: HOOK, condition: deepest },
      ]);
      await sql(`INSERT INTO inj (id, title) VALUES ('i1', 'x''); DROP TABLE inj; --'), ('i2', 'it''s')`);
      await sql("UPDATE inj SET meta = '\"new\"'");
      expect((await logs("inj")).map((l) => `${l.action}:${l.record_id}`)).toEqual([
        "create:i1",
        "create:i2",
        "update:i1",
        "update:i2",
      ]);
      expect(Number((await sql("SELECT count(*) AS n FROM inj")).rows[0]!.n)).toBe(2);
    });
  });
}
