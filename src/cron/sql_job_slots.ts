// The bound on SQL job runs at once (HOOKD_SQL_JOB_PROCESSES): on a file each run takes a job
// process of about 65 MB, and without a bound 30 every-second jobs blocked behind one lock ran
// 30 processes. A run that finds every slot taken waits its turn, first come first served,
// until a deadline (its job's next tick) or until it is stopped.

interface Waiter {
  grant: () => void;
  timer?: ReturnType<typeof setTimeout>;
}

/** JobSlots hands out at most `size` slots at once. */
export class JobSlots {
  private used = 0;
  private readonly waiting: Waiter[] = [];

  constructor(private readonly size: number) {}

  /** acquire answers a release function once a slot is free, or null if `waitMs` passed (null: no bound) or `signal` aborted first. */
  acquire(waitMs: number | null, signal: AbortSignal): Promise<(() => void) | null> {
    if (signal.aborted) return Promise.resolve(null);
    if (this.used < this.size && this.waiting.length === 0) {
      this.used++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve) => {
      const waiter: Waiter = { grant: () => resolve(this.releaser()) };
      const giveUp = () => {
        const at = this.waiting.indexOf(waiter);
        if (at < 0) return;
        this.waiting.splice(at, 1);
        clearTimeout(waiter.timer);
        resolve(null);
      };
      if (waitMs !== null) waiter.timer = setTimeout(giveUp, Math.max(0, waitMs));
      signal.addEventListener("abort", giveUp, { once: true });
      this.waiting.push(waiter);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (!next) return void this.used--;
      clearTimeout(next.timer);
      next.grant();
    };
  }
}
