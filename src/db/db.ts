// The database handle every part of hookd is given. Two implementations: EmbeddedDb (a file
// or :memory:, with group commit) and ServerDb (a libSQL server). Every capability is total,
// so callers state what they want and never ask which kind they hold.
import type { InStatement, TransactionMode, Value } from "@libsql/client";

export type { InStatement, TransactionMode, Value };

/** Row is one result row, by column name. */
export type Row = Record<string, Value>;

/** Result is what a statement answers: its rows (for SELECT and RETURNING) and how many rows it changed. */
export interface Result {
  columns: string[];
  rows: Row[];
  rowsAffected: number;
}

/** Db is the database handle passed to every part of hookd. */
export interface Db {
  execute(stmt: InStatement): Promise<Result>;
  /** executeWithin runs a write nobody waits on: with the next group that commits anyway, or within `ms` (at once where nothing is grouped). */
  executeWithin(stmt: InStatement, ms: number): Promise<Result>;
  batch(stmts: InStatement[], mode?: TransactionMode): Promise<Result[]>;
  /** readNow runs a read that must not wait behind queued writes (a health probe): at once, outside any group. */
  readNow(sql: string): Promise<Result>;
  /**
   * watchOtherWriters calls `onCommit` soon after another connection (a process, a SQL job's
   * thread) commits to the same file, and answers how to stop watching. A server database tells
   * nobody: other writers there are seen by polling.
   */
  watchOtherWriters(onCommit: () => void): () => void;
  close(): void;
}
