// Runs an async job at most once at a time; asked again while it runs, it runs once more after.

/** singleFlight answers a function that starts `job`, or marks it to run again if it is running. */
export function singleFlight(job: () => Promise<void>): () => void {
  let running = false;
  let again = false;
  const start = async (): Promise<void> => {
    if (running) return void (again = true);
    running = true;
    try {
      do {
        again = false;
        await job();
      } while (again);
    } finally {
      running = false;
    }
  };
  return () => void start();
}

/** coalesced answers a function that runs `job` once, `delayMs` after the first of any number of calls. */
export function coalesced(job: () => void, delayMs: number): { (): void; cancel(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const ask = () => {
    timer ??= setTimeout(() => {
      timer = undefined;
      job();
    }, delayMs);
  };
  return Object.assign(ask, { cancel: () => clearTimeout(timer) });
}
