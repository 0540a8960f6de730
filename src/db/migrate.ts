import { splitSqlStatements } from "../lib/sql_split";
import { VERSION } from "../version";
import type { Db } from "./client";
import { MIGRATIONS, type Migration } from "./migrations";

/** SCHEMA_WRITER is the _settings key naming the hookd release that last applied a migration, for the message below. */
const SCHEMA_WRITER = "schema_written_by";

/** DatabaseTooNewError is a database whose schema a newer hookd made: this binary would misread it, so it refuses to start (exit 2). */
export class DatabaseTooNewError extends Error {}

/** checkSchemaVersion throws DatabaseTooNewError when the database holds a migration this binary does not know. */
export async function checkSchemaVersion(db: Db, migrations: Migration[] = MIGRATIONS): Promise<void> {
  const known = Math.max(0, ...migrations.map((m) => m.version));
  const table = await db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_migrations'");
  if (table.rows.length === 0) return;
  const rs = await db.execute("SELECT max(version) AS v FROM _migrations");
  const found = Number(rs.rows[0]?.v ?? 0);
  if (found <= known) return;
  const writer = await db
    .execute({ sql: "SELECT value FROM _settings WHERE key = ?", args: [SCHEMA_WRITER] })
    .then((r) => (r.rows[0] ? ` (written by hookd ${String(r.rows[0].value)})` : ""))
    .catch(() => "");
  throw new DatabaseTooNewError(
    `the database's schema is version ${found}${writer}, newer than this hookd ${VERSION} knows (schema version ${known}); ` +
      `run a hookd at least as new as the one that wrote it, or restore a backup made by this release`,
  );
}

/** migrate applies every migration not yet recorded in _migrations, each in one transaction; it refuses a database that is too new. */
export async function migrate(db: Db, migrations: Migration[] = MIGRATIONS): Promise<number[]> {
  await checkSchemaVersion(db, migrations);
  // Only when missing: a current database is then only read, so hookd starts on a read-only file.
  const table = await db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_migrations'");
  if (table.rows.length === 0)
    await db.execute(
      "CREATE TABLE IF NOT EXISTS _migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
    );
  const applied: number[] = [];
  for (const m of migrations) {
    if (await isApplied(db, m.version)) continue;
    try {
      await db.batch(
        [
          ...splitSqlStatements(m.sql),
          {
            sql: "INSERT INTO _migrations (version, name, applied_at) VALUES (?, ?, ?)",
            args: [m.version, m.name, new Date().toISOString()],
          },
        ],
        "write",
      );
      applied.push(m.version);
    } catch (err) {
      // Another instance starting at the same moment may have won the race: its
      // _migrations row makes our insert fail and our whole batch roll back.
      if (!(await isApplied(db, m.version))) throw err;
    }
  }
  if (applied.length > 0) await recordWriter(db);
  return applied;
}

async function recordWriter(db: Db): Promise<void> {
  // _settings comes with the first migration; a test's own migration list may not have it.
  await db
    .execute({
      sql: "INSERT INTO _settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      args: [SCHEMA_WRITER, VERSION],
    })
    .catch(() => {});
}

async function isApplied(db: Db, version: number): Promise<boolean> {
  const rs = await db.execute({ sql: "SELECT 1 FROM _migrations WHERE version = ?", args: [version] });
  return rs.rows.length > 0;
}
