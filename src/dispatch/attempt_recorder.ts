// Recording attempts. Finished attempts are coalesced and written by one UPDATE per turn of
// the event loop (deliveries/record_statement.ts) rather than one write each: at thousands of
// deliveries a second, preparing statements and committing transactions, not the rows
// themselves, are what costs. In the same turn, when due, one upsert keeps the targets' health
// (targets/health_recorder.ts): an embedded database commits both in one transaction (group
// commit); a server runs them side by side.
import type { Db, InStatement, Result } from "../db/client";
import { systemClock, type Clock } from "../runtime/clock";
import type { Logger } from "../runtime/logger";
import { RECORD_ROWS_MAX, recordStatement, type AttemptRecord } from "../deliveries/record_statement";
import type { DisablePolicy } from "../targets/health_statement";
import { HealthRecorder, type HealthEvents } from "../targets/health_recorder";

export type { AttemptRecord };

/** Queued is an attempt waiting to be written, and what runs once it is. */
interface Queued {
  attempt: AttemptRecord;
  written?: () => void;
}

const RETRY_FLUSH_MS = 200;
/** RECORD_WITHIN_MS bounds how long a finished attempt waits to share another write's commit. */
const RECORD_WITHIN_MS = 5;
/** AttemptRecorder queues finished attempts and writes them together; a failed write is kept and tried again. */
export class AttemptRecorder {
  private queue: Queued[] = [];
  private scheduled = false;
  private flushing: Promise<void> | null = null;
  /** health keeps the targets' health in the same turn as the attempts. */
  private health: HealthRecorder;

  constructor(
    private db: Db,
    private owner: string,
    private log: Logger,
    policy: DisablePolicy,
    /** onWritten runs after each successful write (live updates). */
    private onWritten: () => void = () => {},
    events?: HealthEvents,
    /** clock dates the health write; the attempts' own times come from the dispatcher's clock too. */
    private clock: Clock = systemClock,
  ) {
    this.health = new HealthRecorder(db, log, policy, events);
  }

  /** record queues one finished attempt for the next write; `written` runs once that write committed. */
  record(attempt: AttemptRecord, written?: () => void): void {
    this.queue.push({ attempt, written });
    this.health.add(attempt);
    this.schedule(0);
  }

  /** flush writes everything queued so far; concurrent callers share the one running flush. */
  flush(): Promise<void> {
    this.flushing ??= this.writeAll().finally(() => {
      this.flushing = null;
      if (this.queue.length > 0) this.schedule(0);
    });
    return this.flushing;
  }

  /** pending is how many attempts wait to be written. */
  get pending(): number {
    return this.queue.length;
  }

  private schedule(delayMs: number): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const run = () => {
      this.scheduled = false;
      this.flush().catch((err) =>
        // Unwritten attempts keep their leases; once those run out the deliveries are sent again.
        this.log.error("writing finished attempts failed", { error: String(err) }),
      );
    };
    if (delayMs > 0) setTimeout(run, delayMs);
    else setImmediate(run);
  }

  private async writeAll(): Promise<void> {
    while (this.queue.length > 0) {
      const taken = this.queue.splice(0, RECORD_ROWS_MAX);
      const now = this.clock.now();
      const health = this.health.take(now);
      const [rows, healed] = await Promise.allSettled([
        this.write(
          recordStatement(
            taken.map((q) => q.attempt),
            this.owner,
          ),
        ),
        health.statement ? this.write(health.statement) : null,
      ]);
      this.health.settled(healed, health.deltas, now);
      if (rows.status === "rejected") {
        // The rows stay leased to us, so nothing is lost meanwhile; keep the attempts for later.
        this.log.error("recording attempts failed; will try again", {
          error: String(rows.reason),
          attempts: taken.length,
        });
        this.queue = taken.concat(this.queue);
        this.schedule(RETRY_FLUSH_MS);
        return;
      }
      for (const q of taken) q.written?.();
      this.onWritten();
    }
  }

  // Nobody waits on these writes (the rows stay leased to us until then), so on a database that
  // groups statements they ride with the next group commit, within RECORD_WITHIN_MS.
  private write(stmt: InStatement): Promise<Result> {
    return this.db.executeWithin(stmt, RECORD_WITHIN_MS);
  }
}
