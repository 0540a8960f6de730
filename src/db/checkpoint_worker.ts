// The checkpoint thread (checkpointer.ts): its own connection to the database file copies
// committed WAL pages back into the file, and waits on the fsyncs that takes, off the thread
// that serves HTTP and sends deliveries.
import Database from "libsql";

declare const self: Worker;

/** CheckpointStart is the one message this worker gets: which file, and how often to look. */
export interface CheckpointStart {
  path: string;
  everyMs: number;
}

self.onmessage = (event: MessageEvent<CheckpointStart>) => {
  const { path, everyMs } = event.data;
  const db = new Database(path);
  // Never wait for a lock here: a checkpoint that meets one is simply tried again next time.
  db.exec("PRAGMA busy_timeout = 0");
  setInterval(() => {
    try {
      db.exec("PRAGMA wal_checkpoint(PASSIVE)");
    } catch {
      // busy or locked: the next pass tries again, and the writer's own fallback bounds the WAL
    }
  }, everyMs);
};
