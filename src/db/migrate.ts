import { splitSqlStatements } from "../lib/sql_split";
import type { Db } from "./client";
import { MIGRATIONS, type Migration } from "./migrations";

/** migrate applies every migration not yet recorded in _migrations, each in one transaction. */
export async function migrate(db: Db, migrations: Migration[] = MIGRATIONS): Promise<number[]> {
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
  return applied;
}

async function isApplied(db: Db, version: number): Promise<boolean> {
  const rs = await db.execute({ sql: "SELECT 1 FROM _migrations WHERE version = ?", args: [version] });
  return rs.rows.length > 0;
}
