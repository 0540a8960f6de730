// "Run once more if asked during a run": work that must not overlap itself (a claim, a reload,
// a poll) and whose callers only need it to run again after their request, not once each.

/**
 * SingleFlight runs `work` one run at a time. A request during a run makes exactly one more run
 * after it, however many requests came; `work` answering true asks for one more run itself (a
 * full page or batch: more may be waiting). The first run starts synchronously, so whatever
 * `work` does before its first await happens within the caller's turn.
 */
export class SingleFlight {
  private running: Promise<void> | null = null;
  private again = false;

  /** work must handle its own errors: one that escapes ends the current series of runs and rejects run(). */
  constructor(private readonly work: () => Promise<unknown>) {}

  /** run starts a run, or asks for one more after the current one; it settles when the series ends. */
  run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.series().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** current is the series in progress, if any (to wait for it before shutting down). */
  get current(): Promise<void> | null {
    return this.running;
  }

  private async series(): Promise<void> {
    let more: boolean;
    do {
      this.again = false;
      more = (await this.work()) === true;
    } while (more || this.again);
  }
}
