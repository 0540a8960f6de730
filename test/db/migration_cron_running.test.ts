// Migration 015 upgrades a database of the previous release in place: its cron runs are kept
// as they were, and finding the running ones (the abandoned-run sweep) uses the new index.
import { expect, test } from "bun:test";
import { openDatabase } from "../../src/db/client";
import { migrate } from "../../src/db/migrate";
import { MIGRATIONS } from "../../src/db/migrations";
import { tempDbUrl } from "../support/temp_db";

test("a previous release's cron runs are kept, and the sweep for running ones reads an index", async () => {
  const url = tempDbUrl();
  const db = await openDatabase(url);
  await migrate(
    db,
    MIGRATIONS.filter((m) => m.version < 15),
  );
  for (const [id, status] of [
    ["done", "success"],
    ["going", "running"],
  ]) {
    await db.execute({
      sql: `INSERT INTO _cron_runs (id, job, kind, scheduled_at, started_at, status, instance, lease_expires_at)
            VALUES (?, 'j', 'schedule', ?, '2026-01-01T00:00:00.000Z', ?, 'old', '2026-01-01T00:01:00.000Z')`,
      args: [id, `2026-01-01T00:00:0${id.length}.000Z`, status],
    });
  }
  const before = (await db.execute("SELECT * FROM _cron_runs ORDER BY id")).rows;
  expect(await migrate(db)).toContain(15);
  expect((await db.execute("SELECT * FROM _cron_runs ORDER BY id")).rows).toEqual(before);
  const plan = await db.execute(
    "EXPLAIN QUERY PLAN SELECT 1 FROM _cron_runs WHERE status = 'running' AND lease_expires_at <= '2030-01-01' LIMIT 1",
  );
  expect(plan.rows.map((r) => String(r.detail)).join(" ")).toContain("_cron_runs_running");
  db.close();
});
