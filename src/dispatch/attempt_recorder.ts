// Recording attempts. Finished attempts are coalesced and written in one db.batch per turn
// of the event loop rather than one write each: at thousands of deliveries a second the
// write transactions, not the UPDATEs, are what costs.
import type { InStatement } from "@libsql/client";
import type { Db } from "../db/client";
import type { Logger } from "../deps";
import type { AttemptResult, NextState } from "./retry_policy";

/** recordAttemptStatement writes one attempt's result and the delivery's next state, clearing the lease — but only if `owner` still holds it. */
export function recordAttemptStatement(id: string, owner: string, tries: number, result: AttemptResult, next: NextState, now: Date): InStatement {
  return {
    sql: `UPDATE _webhook_logs SET status = ?, http_status = ?, error_msg = ?, response_body = ?, duration_ms = ?, tries = ?,
            next_attempt_at = ?, lease_owner = NULL, lease_expires_at = NULL, updated_at = ?
          WHERE id = ? AND status = 'processing' AND lease_owner = ?`,
    args: [
      next.status, result.httpStatus, result.errorMsg, result.responseBody, result.durationMs, tries,
      next.nextAttemptAt.toISOString(), now.toISOString(), id, owner,
    ],
  };
}

const RETRY_FLUSH_MS = 200;

/** AttemptRecorder queues attempt statements and writes them in batches; a failed batch is kept and tried again. */
export class AttemptRecorder {
  private queue: InStatement[] = [];
  private scheduled = false;
  private flushing: Promise<void> | null = null;

  constructor(
    private db: Db,
    private log: Logger,
  ) {}

  /** record queues one attempt's statement for the next batch. */
  record(statement: InStatement): void {
    this.queue.push(statement);
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
      const batch = this.queue;
      this.queue = [];
      try {
        await this.db.batch(batch, "write");
      } catch (err) {
        // The rows stay leased to us, so nothing is lost meanwhile; put the batch back for later.
        this.log.error("recording attempts failed; will try again", { error: String(err), attempts: batch.length });
        this.queue = batch.concat(this.queue);
        this.schedule(RETRY_FLUSH_MS);
        return;
      }
    }
  }
}
