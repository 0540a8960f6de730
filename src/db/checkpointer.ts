// Checkpoints of an embedded file database run in a worker thread, so the event loop never
// waits on their fsyncs inside a COMMIT (docs/decisions/003-one-total-db.md). The writer keeps
// a far larger automatic checkpoint as a fallback, so the WAL stays bounded even if the thread
// falls behind.
//
// The thread checkpoints only when asked, and commits ask (at most every CHECKPOINT_EVERY_MS):
// an idle database costs nothing, and the thread is never inside a libsql call when it is
// idle, which is also when a process usually exits.
import { workerUrl, type RefWorker } from "../lib/worker_thread";
import type { CheckpointMessage } from "./checkpoint_worker";

/** CHECKPOINT_EVERY_MS is the least time between two passes asked for. */
const CHECKPOINT_EVERY_MS = 20;
/** WRITER_FALLBACK_PAGES is the writer's own automatic checkpoint threshold while the thread runs. */
export const WRITER_FALLBACK_PAGES = 20_000;

const WORKER_URL = workerUrl(import.meta.url, "db/checkpoint_worker.ts");

/** Checkpointer is the thread's handle: `committed` after each commit, `stop` once (the thread then ends by itself). */
export interface Checkpointer {
  committed(): void;
  stop(): void;
}

/** startCheckpointer starts the thread for the database file at `path`. */
export function startCheckpointer(path: string): Checkpointer {
  const worker = new Worker(WORKER_URL) as RefWorker;
  worker.unref(); // never what keeps the process alive
  const send = (message: CheckpointMessage) => worker.postMessage(message);
  send({ open: path });
  let askedAt = 0;
  let later: ReturnType<typeof setTimeout> | null = null;
  let stopped = false;
  const ask = () => {
    later = null;
    if (stopped) return;
    askedAt = performance.now();
    send({ checkpoint: true });
  };
  return {
    committed() {
      if (stopped || later) return;
      const wait = askedAt + CHECKPOINT_EVERY_MS - performance.now();
      if (wait <= 0) return ask();
      // Commits within the interval are covered by one pass at its end.
      later = setTimeout(ask, wait);
      later.unref();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      if (later) clearTimeout(later);
      send({ stop: true });
    },
  };
}
