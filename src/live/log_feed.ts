// Live delivery updates for webhookLogUpdated. Changes from every instance sharing the
// database are found by one poll on updated_at every HOOKD_POLL_MS, which runs only while
// someone is subscribed; a local change can ask for a poll at once (poke). The cursor moves
// by (updated_at, rowid) but stays SETTLE_MS behind the clock, so a row written with a
// slightly older timestamp (another instance's clock, a late commit) is still seen; rows read
// twice in that window are emitted once per state.
import type { Config } from "../config";
import type { Db } from "../db/client";
import type { Clock } from "../runtime/clock";
import type { Logger } from "../runtime/logger";
import type { LogFilter } from "../deliveries/log_filter";
import { matchesFilter } from "../deliveries/log_filter_sql";
import { LOG_COLUMNS, rowToLogEntry, type LogEntry } from "../deliveries/log_store";
import { AsyncQueue } from "../lib/async_queue";
import { SingleFlight } from "../lib/single_flight";

const SETTLE_MS = 1_000;
const PAGE = 1_000;

interface Subscriber {
  filter: LogFilter;
  /** since is when it subscribed: earlier changes are not sent to it. */
  since: string;
  queue: AsyncQueue<LogEntry>;
}

/** LogFeed streams delivery rows as they are created or change state. */
export class LogFeed {
  private subscribers = new Set<Subscriber>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private cursor = { at: "", rowid: 0 };
  private emitted = new Map<string, string>();
  // One poll at a time; a poke or tick during one polls once more after it.
  private polls = new SingleFlight(async () => {
    if (!this.timer) return false;
    try {
      return await this.readChanges();
    } catch (err) {
      this.deps.log.error("reading delivery changes for live updates failed; the next poll tries again", {
        error: String(err),
      });
      return false;
    }
  });

  constructor(private deps: { db: Db; clock: Clock; config: Config; log: Logger }) {}

  /** subscribe answers a stream of rows matching the filter, from now on; ending the stream unsubscribes. */
  subscribe(filter: LogFilter): AsyncIterableIterator<LogEntry> {
    const sub: Subscriber = {
      filter,
      since: this.deps.clock.now().toISOString(),
      queue: new AsyncQueue<LogEntry>(() => this.unsubscribe(sub)),
    };
    if (this.subscribers.size === 0) this.start();
    this.subscribers.add(sub);
    return sub.queue;
  }

  /** poke asks for a poll soon (coalesced): this process just committed changes to deliveries. */
  poke(): void {
    if (!this.timer || this.poked) return;
    this.poked = true;
    setTimeout(() => {
      this.poked = false;
      void this.poll();
    }, 0);
  }

  private poked = false;

  private start(): void {
    // Only what changes from now on: start at the clock, less the settle window, with nothing emitted yet.
    const from = new Date(this.deps.clock.now().getTime() - SETTLE_MS).toISOString();
    this.cursor = { at: from, rowid: 0 };
    this.emitted.clear();
    this.timer = setInterval(() => void this.poll(), this.deps.config.pollMs);
    void this.poll();
  }

  private emit(entry: LogEntry): void {
    for (const sub of this.subscribers)
      if (entry.updated_at >= sub.since && matchesFilter(sub.filter, entry)) sub.queue.push(entry);
  }

  private unsubscribe(sub: Subscriber): void {
    this.subscribers.delete(sub);
    if (this.subscribers.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  private poll(): Promise<void> {
    return this.polls.run();
  }

  /** readChanges emits what changed since the cursor and answers whether a full page means more are waiting. */
  private async readChanges(): Promise<boolean> {
    const rs = await this.deps.db.execute({
      sql: `SELECT rowid, ${LOG_COLUMNS} FROM _webhook_logs
            WHERE updated_at >= ? AND NOT (updated_at = ? AND rowid <= ?) ORDER BY updated_at, rowid LIMIT ${PAGE}`,
      args: [this.cursor.at, this.cursor.at, this.cursor.rowid],
    });
    const settled = new Date(this.deps.clock.now().getTime() - SETTLE_MS).toISOString();
    const windowStart = this.cursor.at;
    for (const row of rs.rows) {
      const entry = rowToLogEntry(row);
      const state = `${entry.updated_at}|${entry.status}|${entry.tries}`;
      if (this.emitted.get(entry.id) !== state) {
        // A delivery created and already moved on between two polls (claimed, even delivered) is
        // still announced as created first: it was pending (held rows are seen as held).
        if (
          !this.emitted.has(entry.id) &&
          entry.created_at >= windowStart &&
          entry.status !== "pending" &&
          entry.status !== "held"
        ) {
          this.emit({
            ...entry,
            status: "pending",
            tries: 0,
            http_status: null,
            error_msg: null,
            response_body: null,
            duration_ms: null,
            updated_at: entry.created_at,
          });
        }
        this.emitted.set(entry.id, state);
        this.emit(entry);
      }
      if (entry.updated_at < settled) this.cursor = { at: entry.updated_at, rowid: Number(row.rowid) };
    }
    for (const [id, state] of this.emitted) if (state < this.cursor.at) this.emitted.delete(id);
    // A full page means more are waiting behind it.
    return rs.rows.length === PAGE && this.cursor.at < settled;
  }
}
