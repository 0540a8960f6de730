// Starting a worker thread from a module, from source and in the binary alike. Run from source
// (bun src/main.ts, tests) a module sits beside its worker. In the binary every module is
// bundled into the main entrypoint at the root of src/, and scripts/build.ts makes each worker
// an entrypoint of its own, which keeps its path under src/.

/** RefWorker is a Worker that can stop holding the process open (Bun's; its types do not say so). */
export type RefWorker = Worker & { ref(): void; unref(): void };

/** workerUrl answers where `worker` (its path under src/, e.g. "db/checkpoint_worker.ts") is, for the module at `moduleUrl`. */
export function workerUrl(moduleUrl: string, worker: string): URL {
  const slash = worker.lastIndexOf("/");
  const fromSource = new URL(".", moduleUrl).pathname.endsWith(`/${worker.slice(0, slash + 1)}`);
  return new URL(`./${fromSource ? worker.slice(slash + 1) : worker}`, moduleUrl);
}
