// A consistent copy of an embedded database file while it serves (docs/operating.md, Backups and restore), made in a
// thread of its own (snapshot_worker.ts). The copy is written beside its final name and renamed
// into place, so a listing never shows half a backup.
import { renameSync, rmSync } from "node:fs";
import { workerUrl, type RefWorker } from "../lib/worker_thread";
import type { SnapshotDone, SnapshotMessage } from "./snapshot_worker";

const WORKER_URL = workerUrl(import.meta.url, "backups/snapshot_worker.ts");

/** writeSnapshot copies the database file at `from` to `into` (which must not exist). */
export async function writeSnapshot(from: string, into: string): Promise<void> {
  const partial = `${into}.partial`;
  rmSync(partial, { force: true });
  const worker = new Worker(WORKER_URL) as RefWorker;
  const done = await new Promise<SnapshotDone>((resolve, reject) => {
    worker.onmessage = ({ data }: MessageEvent<SnapshotDone>) => resolve(data);
    worker.onerror = (event) => reject(new Error(event.message));
    worker.postMessage({ from, into: partial } satisfies SnapshotMessage);
  });
  if (done.error !== null) {
    rmSync(partial, { force: true });
    throw new Error(done.error);
  }
  renameSync(partial, into);
}
