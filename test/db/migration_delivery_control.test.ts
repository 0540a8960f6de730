// Migration 013 upgrades a database of the previous release in place: its webhooks and cron
// jobs keep their definitions (no transform, no limits), and the new tables are there.
import { expect, test } from "bun:test";
import { openDatabase } from "../../src/db/client";
import { migrate } from "../../src/db/migrate";
import { MIGRATIONS } from "../../src/db/migrations";
import { tempDbUrl } from "../support/temp_db";
import { makeTestApp } from "../support/test_app";

test("a previous release's database gains delivery control and keeps its webhooks", async () => {
  const url = tempDbUrl();
  const old = await openDatabase(url);
  await migrate(
    old,
    MIGRATIONS.filter((m) => m.version < 13),
  );
  await old.execute(
    "INSERT INTO _webhooks (id, name, url, created, updated) VALUES ('w1', 'legacy', 'https://example.com/h', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
  );
  old.close();

  const t = await makeTestApp({ dbUrl: url });
  try {
    const versions = (await t.deps.db.execute("SELECT version FROM _migrations")).rows.map((r) => Number(r.version));
    expect(versions).toContain(13);
    const hook = await t.request("GET", "/api/webhooks/legacy");
    expect(hook).toMatchObject({ status: 200, body: { name: "legacy", url: "https://example.com/h" } });
    expect((await t.deps.db.execute("SELECT count(*) AS n FROM _idempotency_keys")).rows[0]!.n).toBe(0);
  } finally {
    t.deps.db.close();
  }
});
