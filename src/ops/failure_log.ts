// One log line per delivery that ends failed, at most `perSecond` a second; past that, the
// second's remaining failures are counted and told in one summary line when it ends, so a
// receiver that fails thousands of deliveries cannot flood the log.
import type { Logger } from "../runtime/logger";

/** FailureLog writes the failed-delivery lines under a rate limit. */
export class FailureLog {
  private windowStart = 0;
  private logged = 0;
  private suppressed = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private log: () => Logger,
    private perSecond = 10,
  ) {}

  /** failed logs one failed delivery, or counts it for the summary when this second's lines are used up. */
  failed(fields: Record<string, unknown>): void {
    const now = Date.now();
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
    if (!this.timer) {
      this.timer = setTimeout(() => this.summarize(), Math.max(0, this.windowStart + 1000 - now));
      this.timer.unref?.();
    }
  }

  /** summarize writes the count of failures not logged one by one, if any (also on stop). */
  summarize(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.suppressed === 0) return;
    this.log().warn("more deliveries failed than are logged one by one", {
      count: this.suppressed,
      limitPerSecond: this.perSecond,
    });
    this.suppressed = 0;
  }
}
