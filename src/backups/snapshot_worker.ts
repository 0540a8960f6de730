// The snapshot thread (snapshot.ts): its own read-only connection to the database file writes
// a consistent copy with VACUUM INTO — one read transaction, so writes committed after it began
// are not in the copy and never half in it — off the thread that serves HTTP.
import Database from "libsql";

declare const self: Worker;

/** SnapshotMessage asks for one copy of `from` at `into`. */
export interface SnapshotMessage {
  from: string;
  into: string;
}

/** SnapshotDone is the answer: null error on success. */
export interface SnapshotDone {
  error: string | null;
}

self.onmessage = ({ data }: MessageEvent<SnapshotMessage>) => {
  let error: string | null = null;
  let db: Database.Database | null = null;
  try {
    db = new Database(data.from, { readonly: true });
    db.exec("PRAGMA busy_timeout = 30000");
    db.prepare("VACUUM INTO ?").run(data.into);
  } catch (err) {
    error = (err as Error).message ?? String(err);
  } finally {
    db?.close();
  }
  self.postMessage({ error } satisfies SnapshotDone);
  // With the connection closed and nothing left to run, the thread ends by itself.
  self.onmessage = null;
};
