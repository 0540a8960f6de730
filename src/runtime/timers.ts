// Timers behind an interface beside Clock, so a test can run a long wait in fake time.

/** TimerHandle names one armed timer, for cancelling it. */
export type TimerHandle = { readonly timer: unknown };

/** Timers arms and cancels one-shot callbacks, on a time base of their own (wall time may jump; a test's Clock may too). */
export interface Timers {
  /** now is the timers' own time in milliseconds, for working out how long until a known time. */
  now(): number;
  /** setTimeout calls `fn` once after `ms` milliseconds (0 or less: as soon as the event loop allows). */
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /** clearTimeout cancels a timer that has not fired yet; a fired or cancelled one is ignored. */
  clearTimeout(handle: TimerHandle): void;
}

/** systemTimers are the runtime's own timers. */
export const systemTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => ({ timer: setTimeout(fn, Math.max(0, ms)) }),
  clearTimeout: (handle) => clearTimeout(handle.timer as ReturnType<typeof setTimeout>),
};

/** every calls `fn` each `ms` milliseconds (the first call after `ms`) until the answered function is called. */
export function every(timers: Timers, ms: number, fn: () => void): () => void {
  let handle: TimerHandle;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    handle = timers.setTimeout(tick, ms);
    fn();
  };
  handle = timers.setTimeout(tick, ms);
  return () => {
    stopped = true;
    timers.clearTimeout(handle);
  };
}
