import { createClient, type InStatement, type TransactionMode, type Value } from "@libsql/client";
import { prepareDatabaseFile } from "./database_file";
import { retryBusyWrites } from "./busy_retry";
import { startCheckpointer, WRITER_FALLBACK_PAGES } from "./checkpointer";
import { dbHealth } from "./db_health";
import { EmbeddedDb } from "./embedded";

export type { InStatement, Value };

/** Row is one result row, by column name. */
export type Row = Record<string, Value>;

/** Result is what a statement answers: its rows (for SELECT and RETURNING) and how many rows it changed. */
export interface Result {
  columns: string[];
  rows: Row[];
  rowsAffected: number;
}

/**
 * Db is the database handle passed to every part of hookd: an embedded file or :memory:
 * (EmbeddedDb: cached statements, group commit) or a libSQL server (@libsql/client).
 */
export interface Db {
  /** groupCommit is true when statements issued in one turn of the event loop share one transaction, in order. */
  readonly groupCommit?: boolean;
  execute(stmt: InStatement): Promise<Result>;
  /** executeWithin, where statements are grouped, runs one with the next group or within `ms`; elsewhere callers use execute. */
  executeWithin?(stmt: InStatement, ms: number): Promise<Result>;
  batch(stmts: InStatement[], mode?: TransactionMode): Promise<Result[]>;
  /**
   * watchOtherWriters, on an embedded database, calls `onCommit` soon after another connection
   * (a process, a SQL job's thread) commits to the file, and answers how to stop watching.
   */
  watchOtherWriters?(onCommit: () => void): () => void;
  close(): void;
}

/** isEmbedded tells whether the URL is an in-process database (file or memory). */
export function isEmbedded(url: string): boolean {
  return url === ":memory:" || url.startsWith("file:");
}

/** redactDbUrl hides credentials (user:password@, authToken=…) so a database URL can be logged. */
export function redactDbUrl(url: string): string {
  return url.replace(/\/\/[^/@]*@/, "//***@").replace(/([?&](?:authToken|auth_token|token)=)[^&]*/gi, "$1***");
}

/** embeddedPath turns file:PATH (query ignored) or :memory: into what the libsql package opens. */
export function embeddedPath(url: string): string {
  return url === ":memory:" ? ":memory:" : url.slice("file:".length).split("?")[0]!;
}

/** openDatabase connects; embedded files get WAL and a short busy timeout, a server gets retries on SQLITE_BUSY. */
export async function openDatabase(url: string, authToken?: string): Promise<Db> {
  if (!isEmbedded(url)) {
    const client: Db = retryBusyWrites(createClient({ url, authToken }), (err) => dbHealth(client).noteFault(err));
    return client;
  }
  const path = embeddedPath(url);
  if (path !== ":memory:") prepareDatabaseFile(path);
  const db = new EmbeddedDb(path);
  db.onError = (err) => dbHealth(db).noteFault(err);
  if (path !== ":memory:") {
    db.pragma("PRAGMA journal_mode = WAL");
    // NORMAL in WAL mode never loses a commit to a process crash (only to power loss),
    // and spares an fsync per delivery attempt.
    db.pragma("PRAGMA synchronous = NORMAL");
    // Checkpoints run in a thread of their own, asked for by commits (checkpointer.ts).
    db.pragma(`PRAGMA wal_autocheckpoint = ${WRITER_FALLBACK_PAGES}`);
    db.useCheckpointer(startCheckpointer(path));
  }
  // Other connections (a second hookd, a SQL shell, the cron worker) may hold the write lock.
  // Waiting for it inside SQLite would stall the event loop, so SQLite waits only briefly and
  // EmbeddedDb retries the group commit on a timer instead.
  db.pragma("PRAGMA busy_timeout = 20");
  return db;
}
