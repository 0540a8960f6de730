// When the dispatcher should next look for work: at once (coalesced, so a burst of commits
// or finished attempts costs one claim), or at the earliest known retry time.
import type { TimerHandle, Timers } from "./timers";

/** WakeTimer runs `onWake` soon or at a time; many requests before it runs become one run. */
export class WakeTimer {
  private soon = false;
  private at: { time: number; handle: TimerHandle } | null = null;
  private cancelled = false;

  constructor(
    private readonly timers: Timers,
    private readonly onWake: () => void,
    private readonly onTimed: () => void = onWake,
  ) {}

  /** wakeSoon runs onWake after the current turn of the event loop. */
  wakeSoon(): void {
    if (this.soon || this.cancelled) return;
    this.soon = true;
    setImmediate(() => {
      this.soon = false;
      if (!this.cancelled) this.onWake();
    });
  }

  /** wakeAt runs onTimed after delayMs unless an earlier timed wake is already armed. */
  wakeAt(delayMs: number): void {
    if (this.cancelled) return;
    const wait = Math.max(0, delayMs);
    const time = this.timers.now() + wait;
    if (this.at && this.at.time <= time) return;
    if (this.at) this.timers.clearTimeout(this.at.handle);
    const handle = this.timers.setTimeout(() => {
      this.at = null;
      if (!this.cancelled) this.onTimed();
    }, wait);
    this.at = { time, handle };
  }

  /** cancel stops every pending wake for good. */
  cancel(): void {
    this.cancelled = true;
    if (this.at) this.timers.clearTimeout(this.at.handle);
    this.at = null;
  }
}
