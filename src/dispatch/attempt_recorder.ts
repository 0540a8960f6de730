// Recording attempts. Finished attempts are coalesced and written by one UPDATE per turn of
// the event loop rather than one write each: at thousands of deliveries a second, preparing
// statements and committing transactions, not the rows themselves, are what costs.
import type { Db } from "../db/client";
import type { Logger } from "../deps";

/** AttemptRecord is one finished attempt and the state its delivery moves to. */
export interface AttemptRecord {
  id: string;
  status: "success" | "pending" | "failed";
  http_status: number | null;
  error_msg: string | null;
  response_body: string | null;
  duration_ms: number;
  tries: number;
  next_attempt_at: string;
  updated_at: string;
}

const COLUMNS = ["status", "http_status", "error_msg", "response_body", "duration_ms", "tries", "next_attempt_at", "updated_at"] as const;

/**
 * RECORD_SQL writes a JSON array of AttemptRecords in one statement, clearing each lease —
 * but only where `owner` still holds it: a row another instance took over is theirs now.
 * The unary + keeps SQLite from driving the join by the status index (every processing row)
 * instead of looking each attempt up by id.
 */
const RECORD_SQL = `
UPDATE _webhook_logs SET ${COLUMNS.map((c) => `${c} = a.${c}`).join(", ")}, lease_owner = NULL, lease_expires_at = NULL
FROM (SELECT value ->> '$.id' AS id, ${COLUMNS.map((c) => `value ->> '$.${c}' AS ${c}`).join(", ")} FROM json_each(:attempts)) AS a
WHERE _webhook_logs.id = a.id AND +_webhook_logs.status = 'processing' AND _webhook_logs.lease_owner = :owner`;

const RETRY_FLUSH_MS = 200;

/** AttemptRecorder queues finished attempts and writes them together; a failed write is kept and tried again. */
export class AttemptRecorder {
  private queue: AttemptRecord[] = [];
  private afterWrite: (() => void)[] = [];
  private scheduled = false;
  private flushing: Promise<void> | null = null;

  constructor(
    private db: Db,
    private owner: string,
    private log: Logger,
  ) {}

  /** record queues one finished attempt for the next write; `written` runs once that write committed. */
  record(attempt: AttemptRecord, written?: () => void): void {
    this.queue.push(attempt);
    if (written) this.afterWrite.push(written);
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
      this.queue = [];
      this.afterWrite = [];
      try {
        await this.db.execute({ sql: RECORD_SQL, args: { attempts: JSON.stringify(attempts), owner: this.owner } });
        for (const w of written) w();
      } catch (err) {
        // The rows stay leased to us, so nothing is lost meanwhile; keep the attempts for later.
        this.log.error("recording attempts failed; will try again", { error: String(err), attempts: attempts.length });
        this.queue = attempts.concat(this.queue);
        this.afterWrite = written.concat(this.afterWrite);
        this.schedule(RETRY_FLUSH_MS);
        return;
      }
    }
  }
}
