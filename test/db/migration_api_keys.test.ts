// Migration 012 upgrades a database of the previous release in place: its collections and
// records stay, the admin token still opens everything, and keys can be made and used.
import { expect, test } from "bun:test";
import { openDatabase } from "../../src/db/client";
import { migrate } from "../../src/db/migrate";
import { MIGRATIONS } from "../../src/db/migrations";
import { bearer } from "../support/keys";
import { send } from "../support/scenario";
import { tempDbUrl } from "../support/temp_db";
import { makeTestApp } from "../support/test_app";

test("a previous release's database gains API keys and keeps its data", async () => {
  const url = tempDbUrl();
  const old = await openDatabase(url);
  await migrate(
    old,
    MIGRATIONS.filter((m) => m.version < 12),
  );
  await old.execute(
    "INSERT INTO _collections (id, name, created, updated) VALUES ('c1', 'legacy', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
  );
  old.close();

  const t = await makeTestApp({ dbUrl: url });
  try {
    const versions = (await t.deps.db.execute("SELECT version FROM _migrations")).rows.map((r) => Number(r.version));
    expect(versions).toContain(12);
    expect((await t.request("GET", "/api/collections/legacy")).status).toBe(200);
    const made = await t.request("POST", "/api/keys", { name: "first", scopes: ["collections:read"] });
    expect(made.status).toBe(200);
    const read = await send(t, { method: "GET", url: "/api/collections/legacy", headers: bearer(made.body.key) });
    expect(read.status).toBe(200);
  } finally {
    t.deps.db.close();
  }
});
