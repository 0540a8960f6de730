// Checkpoints of an embedded file database run in a worker thread. By default SQLite has the
// committing connection checkpoint every 1,000 WAL pages inside its COMMIT, and with
// synchronous = NORMAL that is where the fsyncs are: the event loop waited on them. With
// 16 REST clients that was 40% of all COMMIT time. The writer keeps a far larger automatic
// checkpoint as a fallback, so the WAL stays bounded even if the thread falls behind.
import type { CheckpointStart } from "./checkpoint_worker";

/** CHECKPOINT_EVERY_MS is how often the thread checkpoints what was committed since. */
const CHECKPOINT_EVERY_MS = 20;
/** WRITER_FALLBACK_PAGES is the writer's own automatic checkpoint threshold while the thread runs. */
export const WRITER_FALLBACK_PAGES = 20_000;

// From source this module sits beside the worker; in the binary it is bundled at the root of
// src/, and scripts/build.ts made the worker an entrypoint of its own under db/.
const WORKER_URL = import.meta.url.endsWith("/checkpointer.ts")
  ? new URL("./checkpoint_worker.ts", import.meta.url)
  : new URL("./db/checkpoint_worker.ts", import.meta.url);

type CheckpointWorker = Worker & { unref(): void };

/** startCheckpointer starts the thread for the database file at `path`; call the answer to stop it. */
export function startCheckpointer(path: string): () => void {
  const worker = new Worker(WORKER_URL) as CheckpointWorker;
  worker.unref(); // never what keeps the process alive
  worker.postMessage({ path, everyMs: CHECKPOINT_EVERY_MS } satisfies CheckpointStart);
  return () => void worker.terminate();
}
