// A libSQL server (sqld) queues write transactions across all its connections. Under load
// from several instances that queue can stall (seen with sqld 0.24 at WAL checkpoints): it
// then rolls the stuck transaction back after 5 s and answers SQLITE_BUSY. A statement or
// batch that got SQLITE_BUSY did not commit, so sending it again is safe, and better than
// failing an API write or a claim.
import type { Client } from "@libsql/client";
import { systemTimers, type Timers } from "../runtime/timers";

/** BUSY_RETRY_MS bounds how long one statement or batch keeps being retried. */
export const BUSY_RETRY_MS = 30_000;

/** isBusy tells whether an error is the server's "database is locked". */
export function isBusy(err: unknown): boolean {
  return typeof err === "object" && err !== null && (err as { code?: unknown }).code === "SQLITE_BUSY";
}

/** retryWhileBusy runs `work` again, with a short growing pause, while it fails with SQLITE_BUSY, for up to `withinMs`. */
export async function retryWhileBusy<T>(
  work: () => Promise<T>,
  withinMs = BUSY_RETRY_MS,
  timers: Timers = systemTimers,
): Promise<T> {
  const deadline = timers.now() + withinMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (!isBusy(err) || timers.now() >= deadline) throw err;
      const pauseMs = Math.min(1_000, 20 * 2 ** attempt) * (0.5 + Math.random() / 2);
      await new Promise<void>((resolve) => timers.setTimeout(resolve, pauseMs));
    }
  }
}

/** retryBusyWrites makes the client's execute and batch retry on SQLITE_BUSY, and tells onError of what still fails; for server URLs only. */
export function retryBusyWrites(db: Client, onError: (err: unknown) => void = () => {}): Client {
  const execute = db.execute.bind(db) as (...args: unknown[]) => ReturnType<Client["execute"]>;
  const batch = db.batch.bind(db);
  const heard = (err: unknown) => {
    onError(err);
    throw err;
  };
  db.execute = ((...args: unknown[]) => retryWhileBusy(() => execute(...args)).catch(heard)) as Client["execute"];
  db.batch = ((statements, mode) => retryWhileBusy(() => batch(statements, mode)).catch(heard)) as Client["batch"];
  return db;
}
