// Fake time for tests: timers that fire only when the test moves time on, so a five-minute
// wait takes no time and never depends on how busy the machine is.
import type { Clock } from "../../src/runtime/clock";
import type { TimerHandle, Timers } from "../../src/runtime/timers";

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
}

/** FakeTimers are Timers on a fake time line starting at `start`; `clock` tells the same time. */
export class FakeTimers implements Timers {
  private time: number;
  private seq = 0;
  private pending = new Map<TimerHandle, Pending>();

  constructor(start = Date.parse("2026-01-01T00:00:00Z")) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  /** clock is a Clock on the same time line. */
  readonly clock: Clock = { now: () => new Date(this.time) };

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const handle: TimerHandle = { timer: ++this.seq };
    this.pending.set(handle, { at: this.time + Math.max(0, ms), seq: this.seq, fn });
    return handle;
  }

  clearTimeout(handle: TimerHandle): void {
    this.pending.delete(handle);
  }

  /** armed is how many timers wait to fire. */
  get armed(): number {
    return this.pending.size;
  }

  /** hold moves time on by `ms` without firing anything, as when the event loop is held; the next advance fires what is overdue. */
  hold(ms: number): void {
    this.time += ms;
  }

  /** advance moves time on by `ms`, firing every timer due on the way in time order (and those they arm). */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let next: [TimerHandle, Pending] | undefined;
      for (const entry of this.pending)
        if (
          entry[1].at <= end &&
          (!next || entry[1].at < next[1].at || (entry[1].at === next[1].at && entry[1].seq < next[1].seq))
        )
          next = entry;
      if (!next) break;
      this.pending.delete(next[0]);
      this.time = Math.max(this.time, next[1].at); // an overdue timer (after hold) fires late, at the current time
      next[1].fn();
    }
    this.time = end;
  }
}
