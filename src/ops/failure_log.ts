// One log line per delivery that ends failed, at most `perSecond` a second; past that, the
// second's remaining failures are counted and told in one summary line when it ends, so a
// receiver that fails thousands of deliveries cannot flood the log.
import type { Logger } from "../runtime/logger";
import type { TimerHandle, Timers } from "../runtime/timers";

/** FailureLog writes the failed-delivery lines under a rate limit. */
export class FailureLog {
  private windowStart = Number.NEGATIVE_INFINITY;
  private logged = 0;
  private suppressed = 0;
  private timer: TimerHandle | null = null;

  constructor(
    private log: () => Logger,
    private timers: Timers,
    private perSecond = 10,
  ) {}

  /** failed logs one failed delivery, or counts it for the summary when this second's lines are used up. */
  failed(fields: Record<string, unknown>): void {
    const now = this.timers.now();
    if (now - this.windowStart >= 1000) {
      this.summarize();
      this.windowStart = now;
      this.logged = 0;
    }
    if (this.logged < this.perSecond) {
      this.logged++;
      this.log().warn("delivery failed", fields);
      return;
    }
    this.suppressed++;
    this.timer ??= this.timers.setTimeout(() => this.summarize(), this.windowStart + 1000 - now);
  }

  /** summarize writes the count of failures not logged one by one, if any (also on stop). */
  summarize(): void {
    if (this.timer) this.timers.clearTimeout(this.timer);
    this.timer = null;
    if (this.suppressed === 0) return;
    this.log().warn("more deliveries failed than are logged one by one", {
      count: this.suppressed,
      limitPerSecond: this.perSecond,
    });
    this.suppressed = 0;
  }
}
