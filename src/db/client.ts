import { createClient } from "@libsql/client";
import { prepareDatabaseFile } from "./database_file";
import { retryBusyWrites } from "./busy_retry";
import { startCheckpointer, WRITER_FALLBACK_PAGES } from "./checkpointer";
import type { Db } from "./db";
import { embeddedPath, isEmbedded } from "./db_url";
import { dbHealth } from "./db_health";
import { EmbeddedDb } from "./embedded";
import { ServerDb } from "./server_db";

export type { Db, InStatement, Result, Row, Value } from "./db";
export { embeddedPath, isEmbedded, redactDbUrl } from "./db_url";

/** openDatabase connects; embedded files get WAL and a short busy timeout, a server gets retries on SQLITE_BUSY. */
export async function openDatabase(url: string, authToken?: string): Promise<Db> {
  if (!isEmbedded(url)) {
    const db: Db = new ServerDb(
      retryBusyWrites(createClient({ url, authToken }), (err) => dbHealth(db).noteFault(err)),
    );
    return db;
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
