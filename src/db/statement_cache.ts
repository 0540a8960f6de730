// Prepared statements kept by their SQL text. hookd issues a few dozen distinct statements
// over and over; SQLite re-prepares a kept statement by itself when the schema changes.
import type Database from "libsql";

/** CACHE_SIZE bounds the kept statements; record SQL differs per collection and field set. */
const CACHE_SIZE = 500;

/** Prepared is a kept statement and whether it returns rows (read once: asking the addon each time cost ~2% of a write). */
export interface Prepared {
  statement: Database.Statement;
  reader: boolean;
}

/** StatementCache answers a prepared statement for a SQL text, preparing it on first use. */
export class StatementCache {
  private readonly kept = new Map<string, Prepared>();

  constructor(private readonly db: Database.Database) {}

  /** get answers the statement for `sql`, most recently used last, evicting the oldest when full. */
  get(sql: string): Prepared {
    const hit = this.kept.get(sql);
    if (hit) {
      this.kept.delete(sql);
      this.kept.set(sql, hit);
      return hit;
    }
    const statement = this.db.prepare(sql);
    const prepared = { statement, reader: statement.reader };
    if (this.kept.size >= CACHE_SIZE) this.kept.delete(this.kept.keys().next().value!);
    this.kept.set(sql, prepared);
    return prepared;
  }
}
