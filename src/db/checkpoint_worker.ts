// The checkpoint thread (checkpointer.ts): its own connection to the database file copies
// committed WAL pages back into the file, and waits on the fsyncs that takes, off the thread
// that serves HTTP and sends deliveries.
import Database from "libsql";

declare const self: Worker;

/** CheckpointMessage opens the file, asks for one checkpoint pass, or stops the thread. */
export type CheckpointMessage = { open: string } | { checkpoint: true } | { stop: true };

let db: Database.Database | null = null;

self.onmessage = ({ data }: MessageEvent<CheckpointMessage>) => {
  if ("open" in data) {
    db = new Database(data.open);
    // Never wait for a lock here: a pass that meets one is simply made again on the next ask.
    db.exec("PRAGMA busy_timeout = 0");
  } else if ("checkpoint" in data) {
    try {
      db?.exec("PRAGMA wal_checkpoint(PASSIVE)");
    } catch {
      // busy or locked: the next ask tries again, and the writer's own fallback bounds the WAL
    }
  } else {
    // Stopping from inside: with the connection closed and nothing left to run, the thread
    // ends by itself. (Worker.terminate() during a libsql call can abort the whole process
    // in the addon's finalizer.)
    db?.close();
    db = null;
    self.onmessage = null;
  }
};
