// The time limits of the attempts in flight, and stopping them all at shutdown, with one timer
// for all of them. A timer and a shutdown listener of each attempt's own, set and removed
// for every request, were about 3 % of the send path's time.
// The timer is armed for the earliest deadline; since most targets share a timeout, later
// attempts rarely end earlier, and a finished attempt is only forgotten.

/** Deadline is one attempt's: its signal aborts when its time is up or when all stop. */
export interface Deadline {
  readonly signal: AbortSignal;
  /** timedOut tells whether the signal aborted because the time was up. */
  readonly timedOut: boolean;
}

interface Entry extends Deadline {
  controller: AbortController;
  at: number;
  timedOut: boolean;
}

/** AttemptDeadlines hands out deadlines, aborts them when due, and aborts all on stopAll. */
export class AttemptDeadlines {
  private entries = new Set<Entry>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private armedFor = Infinity;
  private stopped = false;

  /** start gives an attempt that must end within `ms`; after stopAll its signal is aborted already. */
  start(ms: number): Deadline {
    const controller = new AbortController();
    const entry: Entry = { controller, signal: controller.signal, at: Date.now() + ms, timedOut: false };
    if (this.stopped) controller.abort();
    else {
      this.entries.add(entry);
      if (entry.at < this.armedFor) this.arm(entry.at);
    }
    return entry;
  }

  /** finish forgets an attempt that ended. */
  finish(deadline: Deadline): void {
    this.entries.delete(deadline as Entry);
  }

  /** isStopped tells whether stopAll was called. */
  get isStopped(): boolean {
    return this.stopped;
  }

  /** stopAll aborts every attempt in flight, and every one started later. */
  stopAll(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const e of this.entries) e.controller.abort();
    this.entries.clear();
  }

  private arm(at: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.armedFor = at;
    this.timer = setTimeout(() => this.expire(), Math.max(0, at - Date.now()));
    // Attempts in flight keep the process alive by themselves.
    (this.timer as { unref?: () => void }).unref?.();
  }

  private expire(): void {
    this.timer = null;
    this.armedFor = Infinity;
    const now = Date.now();
    let next = Infinity;
    for (const e of this.entries) {
      if (e.at <= now) {
        e.timedOut = true;
        e.controller.abort();
        this.entries.delete(e);
      } else if (e.at < next) next = e.at;
    }
    if (next < Infinity) this.arm(next);
  }
}
