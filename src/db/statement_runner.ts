// Running statements on the embedded connection: kept prepared statements, arguments in the
// form libsql takes, and results in the shape db/client promises. The group commit around
// them is embedded.ts.
import type Database from "libsql";
import type { InStatement, Result, Row } from "./db";
import { StatementCache } from "./statement_cache";

/** READ_ONLY matches statements that only read (and PRAGMAs, which run outside transactions). */
export const READ_ONLY = /^\s*(SELECT|PRAGMA|VALUES|EXPLAIN)\b/i;

/** StatementRunner runs statements on one connection, synchronously. */
export class StatementRunner {
  private readonly statements: StatementCache;

  constructor(private readonly raw: Database.Database) {
    this.statements = new StatementCache(raw);
  }

  /** batch runs statements all-or-nothing. */
  batch(stmts: InStatement[], inGroupTransaction: boolean): Result[] {
    // Inside a group's transaction a savepoint makes a batch all-or-nothing; a read batch
    // outside one gets its own snapshot.
    const [open, keep, undo] = inGroupTransaction
      ? ["SAVEPOINT batch", "RELEASE batch", "ROLLBACK TO batch; RELEASE batch"]
      : ["BEGIN DEFERRED", "COMMIT", "ROLLBACK"];
    this.raw.exec(open);
    try {
      const results = stmts.map((s) => this.execute(s));
      this.raw.exec(keep);
      return results;
    } catch (err) {
      if (this.raw.inTransaction) this.raw.exec(undo);
      throw err;
    }
  }

  /** execute runs one statement and answers its rows (for readers and RETURNING) and changes. */
  execute(stmt: InStatement): Result {
    const [sql, args] = typeof stmt === "string" ? [stmt, undefined] : [stmt.sql, stmt.args];
    const { statement, reader } = this.statements.get(sql);
    const params =
      args === undefined ? [] : Array.isArray(args) ? args.map(toSqlValue) : namedArgs(args as Record<string, unknown>);
    if (reader) {
      const rows = statement.all(params) as Row[];
      // A reader changes rows only when it is a write with RETURNING: one row per change.
      return resultSet(rows, READ_ONLY.test(sql) ? 0 : rows.length);
    }
    const info = statement.run(params);
    return resultSet([], Number(info.changes));
  }
}

function resultSet(rows: Row[], rowsAffected: number): Result {
  const columns = rows.length > 0 ? Object.keys(rows[0]!) : [];
  return { columns, rows, rowsAffected };
}

function namedArgs(args: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name in args) out[/^[:@$]/.test(name) ? name.slice(1) : name] = toSqlValue(args[name]);
  return out;
}

function toSqlValue(v: unknown): unknown {
  if (typeof v === "boolean") return v ? 1 : 0;
  if (v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  return v;
}
