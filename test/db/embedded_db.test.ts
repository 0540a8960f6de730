// The embedded database's group commit: statements issued in one turn share a transaction,
// yet each answers for itself; batches stay all-or-nothing; another connection's write lock
// is waited for on a timer, never inside SQLite on the event loop.
import { afterAll, expect, test } from "bun:test";
import Database from "libsql";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../../src/db/client";
import { waitUntil } from "../support/wait";

const dir = mkdtempSync(join(tmpdir(), "hookd-embedded-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function freshDb() {
  const db = await openDatabase(`file:${join(dir, `${crypto.randomUUID()}.db`)}`);
  await db.execute("CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER)");
  return db;
}

test("statements of one turn commit together, and a failing one fails alone", async () => {
  const db = await freshDb();
  const results = await Promise.allSettled([
    db.execute({ sql: "INSERT INTO t VALUES (?, ?)", args: ["a", 1] }),
    db.execute({ sql: "INSERT INTO t VALUES (?, ?)", args: ["a", 2] }), // duplicate key
    db.execute({ sql: "INSERT INTO t VALUES (:id, :n) RETURNING *", args: { id: "b", n: 3 } }),
    db.execute("SELECT count(*) AS n FROM t"),
  ]);
  expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled", "fulfilled"]);
  expect(String((results[1] as PromiseRejectedResult).reason)).toContain("UNIQUE");
  expect((results[2] as PromiseFulfilledResult<any>).value.rows).toEqual([{ id: "b", n: 3 }]);
  expect((results[2] as PromiseFulfilledResult<any>).value.rowsAffected).toBe(1);
  // Statements run in the order they were issued: the count sees both earlier inserts.
  expect((results[3] as PromiseFulfilledResult<any>).value.rows[0].n).toBe(2);
  expect((await db.execute("SELECT id FROM t ORDER BY id")).rows.map((r) => r.id)).toEqual(["a", "b"]);
  db.close();
});

test("a batch in a group is all-or-nothing and does not undo its neighbours", async () => {
  const db = await freshDb();
  const [before, batch, after] = await Promise.allSettled([
    db.execute({ sql: "INSERT INTO t VALUES ('x', 1)" }),
    db.batch([{ sql: "INSERT INTO t VALUES ('y', 1)" }, { sql: "INSERT INTO t VALUES ('x', 2)" }], "write"),
    db.execute({ sql: "UPDATE t SET n = 5 WHERE id = 'x'" }),
  ]);
  expect([before.status, batch.status, after.status]).toEqual(["fulfilled", "rejected", "fulfilled"]);
  expect((after as PromiseFulfilledResult<any>).value.rowsAffected).toBe(1);
  const rows = (await db.execute("SELECT id, n FROM t ORDER BY id")).rows.map((r) => [r.id, r.n]);
  expect(rows).toEqual([["x", 5]]);
  db.close();
});

test("while another connection holds the write lock, the event loop keeps turning and the write lands after", async () => {
  const path = join(dir, "locked.db");
  const db = await openDatabase(`file:${path}`);
  await db.execute("CREATE TABLE t (id TEXT PRIMARY KEY, n INTEGER)");
  const other = new Database(path);
  other.exec("BEGIN IMMEDIATE; INSERT INTO t VALUES ('other', 0)");
  let landed = false;
  const write = db.execute({ sql: "INSERT INTO t VALUES ('mine', 1)" }).then(() => (landed = true));
  // Timers still fire while the write waits: SQLite is not blocking the thread (if it were,
  // none would fire until its busy timeout gave up, and the write would have ended by then).
  let ticks = 0;
  const ticker = setInterval(() => ticks++, 10);
  await waitUntil("timers to fire while the write waits", () => ticks > 5);
  expect(landed).toBe(false);
  other.exec("COMMIT");
  await write;
  clearInterval(ticker);
  expect((await db.execute("SELECT id FROM t ORDER BY id")).rows.map((r) => r.id)).toEqual(["mine", "other"]);
  other.close();
  db.close();
});

test("PRAGMAs and reads run outside a transaction; a closed database refuses work", async () => {
  const db = await freshDb();
  expect((await db.execute("PRAGMA journal_mode")).rows[0]!.journal_mode).toBe("wal");
  db.close();
  await expect(db.execute("SELECT 1")).rejects.toThrow("closed");
});

test("executeWithin rides with the next group commit, or commits on its own within its bound", async () => {
  const db = await freshDb();
  // Alone: still waiting after a turn of the event loop, committed by its own timer.
  let alone = false;
  const late = db.executeWithin!({ sql: "INSERT INTO t VALUES ('late', 1)" }, 20).then(() => (alone = true));
  await new Promise((resolve) => setImmediate(resolve));
  expect(alone).toBe(false);
  await late;
  // With a write issued meanwhile: both go in that write's group, at once (not after 5 s).
  let rode = false;
  const lazy = db.executeWithin!({ sql: "UPDATE t SET n = 2 WHERE id = 'late'" }, 5_000).then(() => (rode = true));
  await db.execute({ sql: "INSERT INTO t VALUES ('eager', 1)" });
  await new Promise((resolve) => setImmediate(resolve));
  expect(rode).toBe(true);
  await lazy;
  expect((await db.execute("SELECT id, n FROM t ORDER BY id")).rows.map((r) => [r.id, r.n])).toEqual([
    ["eager", 1],
    ["late", 2],
  ]);
  db.close();
});
