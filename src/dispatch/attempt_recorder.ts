// Recording attempts. Finished attempts are coalesced and written by one UPDATE per turn of
// the event loop rather than one write each: at thousands of deliveries a second, preparing
// statements and committing transactions, not the rows themselves, are what costs. The same
// UPDATE appends each attempt to _webhook_attempts (a SQLite trigger on tries, migration 005).
// In the same turn, when due, one upsert keeps the targets' health: an embedded database
// commits both in one transaction (group commit); a server runs them side by side.
import type { Db, InStatement, Result } from "../db/client";
import type { Logger } from "../deps";
import { disabledTargets, healthDeltas, healthStatement, SuccessThrottle, type DisablePolicy } from "./health_update";
import { holdStatement } from "./target_health";

/** AttemptRecord is one finished attempt and the state its delivery moves to. */
export interface AttemptRecord {
  id: string;
  target: string | null;
  /** url is the URL the attempt used: its target's current one at the time. */
  url: string;
  /** hold: the target was paused when the attempt started, so a retry waits as held. */
  hold: boolean;
  status: "success" | "pending" | "failed";
  http_status: number | null;
  error_msg: string | null;
  response_body: string | null;
  duration_ms: number;
  tries: number;
  next_attempt_at: string;
  updated_at: string;
}

const COLUMNS = ["url", "http_status", "error_msg", "response_body", "duration_ms", "tries", "next_attempt_at", "updated_at"] as const;

/**
 * RECORD_SQL writes a JSON array of AttemptRecords in one statement, clearing each lease —
 * but only where `owner` still holds it: a row another instance took over is theirs now.
 * The unary + keeps SQLite from driving the join by the status index (every processing row)
 * instead of looking each attempt up by id. A retry of a paused or disabled target is held
 * (the disabled check runs only for retries, and is one primary-key lookup).
 */
const RECORD_SQL = `
UPDATE _webhook_logs SET status = CASE WHEN a.status = 'pending' AND (a.hold
      OR EXISTS (SELECT 1 FROM _target_health AS h WHERE h.target = _webhook_logs.target AND h.disabled_at IS NOT NULL))
    THEN 'held' ELSE a.status END,
  ${COLUMNS.map((c) => `${c} = a.${c}`).join(", ")}, lease_owner = NULL, lease_expires_at = NULL
FROM (SELECT value ->> '$.id' AS id, value ->> '$.status' AS status, value ->> '$.hold' AS hold, ${COLUMNS.map((c) => `value ->> '$.${c}' AS ${c}`).join(", ")} FROM json_each(:attempts)) AS a
WHERE _webhook_logs.id = a.id AND +_webhook_logs.status = 'processing' AND _webhook_logs.lease_owner = :owner`;

const RETRY_FLUSH_MS = 200;
/** RECORD_WITHIN_MS bounds how long a finished attempt waits to share another write's commit. */
const RECORD_WITHIN_MS = 5;
/** HEALTH_SUCCESS_EVERY_MS is how often a target that keeps succeeding has its health (lastDeliveryAt) written. */
const HEALTH_SUCCESS_EVERY_MS = 1000;

/** AttemptRecorder queues finished attempts and writes them together; a failed write is kept and tried again. */
export class AttemptRecorder {
  private queue: AttemptRecord[] = [];
  private afterWrite: (() => void)[] = [];
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
  ) {}

  /** record queues one finished attempt for the next write; `written` runs once that write committed. */
  record(attempt: AttemptRecord, written?: () => void): void {
    this.queue.push(attempt);
    if (written) this.afterWrite.push(written);
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
      void this.flush();
    };
    if (delayMs > 0) setTimeout(run, delayMs);
    else setImmediate(run);
  }

  private async writeAll(): Promise<void> {
    while (this.queue.length > 0) {
      const attempts = this.queue;
      const written = this.afterWrite;
      const now = new Date();
      // Health is best effort: counted once per attempt, and a lost write is caught up by the next.
      const health = healthStatement(this.throttle.filter(healthDeltas(this.finished), now.getTime()), this.policy, now);
      this.queue = [];
      this.afterWrite = [];
      this.finished = [];
      const [rows, healed] = await Promise.allSettled([
        this.write({ sql: RECORD_SQL, args: { attempts: JSON.stringify(attempts), owner: this.owner } }),
        health ? this.write(health) : null,
      ]);
      if (healed.status === "rejected") this.log.error("recording target health failed", { error: String(healed.reason) });
      else if (healed.value) this.holdDisabled(disabledTargets(healed.value, now), now);
      if (rows.status === "rejected") {
        // The rows stay leased to us, so nothing is lost meanwhile; keep the attempts for later.
        this.log.error("recording attempts failed; will try again", { error: String(rows.reason), attempts: attempts.length });
        this.queue = attempts.concat(this.queue);
        this.afterWrite = written.concat(this.afterWrite);
        this.schedule(RETRY_FLUSH_MS);
        return;
      }
      for (const w of written) w();
      this.onWritten();
    }
  }

  // Nobody waits on these writes (the rows stay leased to us until then), so on a database that
  // groups statements they ride with the next group commit, within RECORD_WITHIN_MS.
  private write(stmt: InStatement): Promise<Result> {
    return this.db.executeWithin ? this.db.executeWithin(stmt, RECORD_WITHIN_MS) : this.db.execute(stmt);
  }

  // Rare (a target just disabled), so its waiting retries are held by a statement of their own
  // (a retry recorded in this very turn is held by RECORD_SQL itself, or by this statement).
  private holdDisabled(disabled: { target: string; reason: string }[], now: Date): void {
    for (const { target, reason } of disabled) {
      this.log.warn("target disabled", { target, reason });
      this.db.execute(holdStatement(target, now.toISOString())).catch((err) =>
        this.log.error("holding a disabled target's waiting deliveries failed", { target, error: String(err) }),
      );
    }
  }
}
