// Migration 007 upgrades a database made by the previous release in place: its deliveries
// stay, the old listing indexes give way to the filter indexes, and filters work on old rows.
import { expect, test } from "bun:test";
import { openDatabase } from "../../src/db/client";
import { migrate } from "../../src/db/migrate";
import { MIGRATIONS } from "../../src/db/migrations";
import { tempDbUrl } from "../support/temp_db";
import { makeTestApp } from "../support/test_app";

test("a database of the previous release keeps its deliveries and gets the filter indexes", async () => {
  const url = tempDbUrl();
  const old = await openDatabase(url);
  await migrate(
    old,
    MIGRATIONS.filter((m) => m.version <= 3),
  );
  // The previous release's columns only (no trigger_id yet).
  for (const [id, status, http, at] of [
    ["old1", "failed", 500, "2026-01-01T00:00:00.000Z"],
    ["old2", "success", 200, "2026-01-02T00:00:00.000Z"],
  ]) {
    await old.execute({
      sql: `INSERT INTO _webhook_logs (id, source, collection, action, record_id, url, status, http_status, next_attempt_at, created_at, updated_at)
            VALUES (?, 'trigger', 'posts', 'create', 'r1', 'http://127.0.0.1:9/hook', ?, ?, ?, ?, ?)`,
      args: [id!, status!, http!, at!, at!, at!],
    });
  }
  old.close();

  const t = await makeTestApp({ dbUrl: url });
  const indexes = (
    await t.deps.db.execute(
      "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = '_webhook_logs' AND name NOT LIKE 'sqlite_%'",
    )
  ).rows.map((r) => String(r.name));
  expect(indexes).toEqual(
    expect.arrayContaining([
      "_webhook_logs_status_created",
      "_webhook_logs_collection_created",
      "_webhook_logs_trigger_created",
    ]),
  );
  expect(indexes).not.toContain("_webhook_logs_collection_status");
  // Migration 004: claims read partial indexes of the waiting rows and the running leases.
  expect(indexes).toEqual(expect.arrayContaining(["_webhook_logs_pending_due", "_webhook_logs_processing_lease"]));
  expect(indexes).not.toContain("_webhook_logs_due");
  expect(indexes).toContain("_webhook_logs_updated");
  const res = await t.request("GET", "/api/webhooks/logs?status=failed&httpStatus=500&since=2025-12-31");
  expect(res.body.items.map((l: any) => l.id)).toEqual(["old1"]);
  expect((await t.request("GET", "/api/webhooks/logs")).body.items.map((l: any) => l.id)).toEqual(["old2", "old1"]);
  t.deps.db.close();
});

test("claims and the idle poll read the partial indexes (not a listing index plus a sort)", async () => {
  const t = await makeTestApp();
  const plan = async (sql: string) =>
    (await t.deps.db.execute(`EXPLAIN QUERY PLAN ${sql}`)).rows.map((r) => String(r.detail)).join(" | ");
  const due = await plan(
    "SELECT id FROM _webhook_logs INDEXED BY _webhook_logs_pending_due WHERE status = 'pending' AND next_attempt_at <= 'z' ORDER BY next_attempt_at LIMIT 10",
  );
  expect(due).toContain("_webhook_logs_pending_due");
  expect(due).not.toContain("TEMP B-TREE");
  t.deps.db.close();
});
