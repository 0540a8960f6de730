// Checkpoints of an embedded file run in their own thread (db/checkpointer.ts): committed WAL
// pages reach the database file although the writer's own automatic checkpoint is far off,
// and closing the database stops the thread (from inside it: terminating it during a libsql
// call once aborted the whole test process).
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "../../src/db/client";
import { WRITER_FALLBACK_PAGES } from "../../src/db/checkpointer";

const dir = mkdtempSync(join(tmpdir(), "hookd-checkpoint-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("the thread copies committed pages into the database file; the writer's own threshold is not what did it", async () => {
  const path = join(dir, "a.db");
  const db = await openDatabase(`file:${path}`);
  expect((await db.execute("PRAGMA wal_autocheckpoint")).rows[0]!.wal_autocheckpoint).toBe(WRITER_FALLBACK_PAGES);
  await db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)");
  const before = statSync(path).size;
  // About 2 MB: 500 pages, far below the writer's threshold, in 20 commits.
  for (let i = 0; i < 20; i++) {
    await db.execute({
      sql: "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 25) INSERT INTO t (body) SELECT ? FROM s",
      args: ["x".repeat(4000)],
    });
  }
  const deadline = Date.now() + 5_000;
  while (statSync(path).size < before + 1_000_000 && Date.now() < deadline) await Bun.sleep(20);
  expect(statSync(path).size).toBeGreaterThan(before + 1_000_000);
  expect(Number((await db.execute("SELECT count(*) AS n FROM t")).rows[0]!.n)).toBe(500);
  db.close();
});

test("a closed database's thread is gone: the file can be removed and reopened cleanly", async () => {
  const path = join(dir, "b.db");
  const db = await openDatabase(`file:${path}`);
  await db.execute("CREATE TABLE t (n INTEGER)");
  await db.execute("INSERT INTO t VALUES (1)");
  db.close();
  db.close(); // twice is harmless
  const again = await openDatabase(`file:${path}`);
  expect((await again.execute("SELECT n FROM t")).rows).toEqual([{ n: 1 }]);
  again.close();
});

test("databases opened and closed over and over, each while its thread checkpoints, never take the process down", async () => {
  for (let i = 0; i < 60; i++) {
    const db = await openDatabase(`file:${join(dir, `c${i}.db`)}`);
    await db.execute("CREATE TABLE t (body TEXT)");
    await db.execute({
      sql: "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 50) INSERT INTO t SELECT ? FROM s",
      args: ["y".repeat(2000)],
    });
    await Bun.sleep(i % 25); // lands at every point of the thread's 20 ms cycle
    db.close();
  }
  Bun.gc(true);
  await Bun.sleep(100);
  // Still alive, and every file whole: each reopens with all its rows.
  for (const i of [0, 17, 59]) {
    const db = await openDatabase(`file:${join(dir, `c${i}.db`)}`);
    expect(Number((await db.execute("SELECT count(*) AS n FROM t")).rows[0]!.n)).toBe(50);
    db.close();
  }
});
