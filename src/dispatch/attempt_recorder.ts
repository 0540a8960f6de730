// Recording attempts. Finished attempts are coalesced and written by one UPDATE per turn of
// the event loop (deliveries/record_statement.ts) rather than one write each: at thousands of deliveries
// a second, preparing statements and committing transactions, not the rows themselves, are
// what costs. In the same turn, when due, one upsert keeps the targets' health: an embedded
// database commits both in one transaction (group commit); a server runs them side by side.
import type { Db, InStatement, Result } from "../db/client";
import { systemClock, type Clock } from "../runtime/clock";
import type { Logger } from "../runtime/logger";
import { disabledTargets, failingTargets, healthStatement, type DisablePolicy } from "../targets/health_statement";
import { healthDeltas, SuccessThrottle } from "../targets/health_update";
import { RECORD_ROWS_MAX, recordStatement, type AttemptRecord } from "../deliveries/record_statement";
import { holdStatement } from "../targets/target_health";

export type { AttemptRecord };

/** Queued is an attempt waiting to be written, and what runs once it is. */
interface Queued {
  attempt: AttemptRecord;
  written?: () => void;
}

const RETRY_FLUSH_MS = 200;
/** RECORD_WITHIN_MS bounds how long a finished attempt waits to share another write's commit. */
const RECORD_WITHIN_MS = 5;
/** HEALTH_SUCCESS_EVERY_MS is how often a target that keeps succeeding has its health (lastDeliveryAt) written. */
const HEALTH_SUCCESS_EVERY_MS = 1000;

/** HealthEvents hears of targets whose health just turned: failing (HOOKD_ALERT_AFTER in a row) or disabled. */
export interface HealthEvents {
  alertAfter: number;
  failing(target: string, failures: number, failingSince: string | null): void;
  disabled(target: string, reason: string): void;
}

/** AttemptRecorder queues finished attempts and writes them together; a failed write is kept and tried again. */
export class AttemptRecorder {
  private queue: Queued[] = [];
  private finished: AttemptRecord[] = [];
  private scheduled = false;
  private flushing: Promise<void> | null = null;
  private throttle = new SuccessThrottle(HEALTH_SUCCESS_EVERY_MS);

  constructor(
    private db: Db,
    private owner: string,
    private log: Logger,
    private policy: DisablePolicy,
    /** onWritten runs after each successful write (live updates). */
    private onWritten: () => void = () => {},
    private events?: HealthEvents,
    /** clock dates the health write; the attempts' own times come from the dispatcher's clock too. */
    private clock: Clock = systemClock,
  ) {}

  /** record queues one finished attempt for the next write; `written` runs once that write committed. */
  record(attempt: AttemptRecord, written?: () => void): void {
    this.queue.push({ attempt, written });
    this.finished.push(attempt);
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
      // Health is best effort: counted once per attempt, and a lost write is caught up by the next.
      const deltas = this.throttle.filter(healthDeltas(this.finished), now.getTime());
      const health = healthStatement(deltas, this.policy, now);
      this.finished = [];
      const [rows, healed] = await Promise.allSettled([
        this.write(
          recordStatement(
            taken.map((q) => q.attempt),
            this.owner,
          ),
        ),
        health ? this.write(health) : null,
      ]);
      if (healed.status === "rejected")
        this.log.error("recording target health failed", { error: String(healed.reason) });
      else if (healed.value) {
        if (this.events)
          for (const f of failingTargets(healed.value, deltas, this.events.alertAfter))
            this.events.failing(f.target, f.failures, f.failingSince);
        this.holdDisabled(disabledTargets(healed.value, now), now);
      }
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

  // Rare (a target just disabled), so its waiting retries are held by a statement of their own
  // (a retry recorded in this very turn is held by the record statement itself, or by this one).
  private holdDisabled(disabled: { target: string; reason: string }[], now: Date): void {
    for (const { target, reason } of disabled) {
      this.events?.disabled(target, reason);
      this.db
        .execute(holdStatement(target, now.toISOString()))
        .catch((err) =>
          this.log.error("holding a disabled target's waiting deliveries failed", { target, error: String(err) }),
        );
    }
  }
}
