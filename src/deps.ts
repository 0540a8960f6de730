import type { Config } from "./config";
import type { Db } from "./db/client";
import type { AdminAuth } from "./auth/admin_token";
import type { Signer } from "./auth/jwt_signer";
import type { Metrics } from "./metrics/metrics";
import type { LogFeed } from "./live/log_feed";
import type { RecordFeed } from "./live/record_feed";

/** Clock tells the time; tests may pass their own. */
export interface Clock {
  now(): Date;
}

/** Logger writes one structured line per event. */
export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

/** SqlJobResult is how a SQL job run ended; `recorded` says the job's own transaction closed the run's row (with rowsChanged unless it could not know them). */
export type SqlJobResult =
  | { status: "success"; rowsChanged: number; recorded: boolean }
  | { status: "failed" | "skipped"; error: string };

/** SqlJobRunner runs a SQL cron job's script as one transaction, after checking it against the rules for jobs. */
export interface SqlJobRunner {
  /** run runs the job for the run `runId`, waiting at most `waitMs` (null: no bound) for a free slot; it never throws. */
  run(sql: string, run: { runId: string; waitMs: number | null }): Promise<SqlJobResult>;
  /** check throws SqlJobRefused when the rules refuse the job (other errors, such as a table that does not exist yet, are the run's to report). */
  check(sql: string): Promise<void>;
  /** stop stops the run `runId` if it runs here, answering whether it did; the run then ends as failed with `reason`. */
  stop(runId: string, reason: string): boolean;
  /** close stops every run and ends any job processes. */
  close(): void;
}

/** Deps is everything hookd's parts need, passed in rather than imported as singletons. */
export interface Deps {
  config: Config;
  db: Db;
  clock: Clock;
  log: Logger;
  signer: Signer;
  admin: AdminAuth;
  sqlJobs: SqlJobRunner;
  /** metrics is this app's own Prometheus registry and the counters hookd's parts increment. */
  metrics: Metrics;
  /** live streams delivery and record changes to GraphQL subscriptions. */
  live: { logs: LogFeed; records: RecordFeed };
  /** wake tells the dispatcher that a commit may have enqueued deliveries. */
  wake: () => void;
  /** cronChanged tells the cron scheduler that jobs were created, changed or deleted. */
  cronChanged: () => void;
  /** targetsChanged tells the dispatcher that a trigger, webhook, cron job or secret changed, so the next attempt reads it. */
  targetsChanged: () => void;
}

/** TargetsChanged is what a catalogue store may call after a change (absent where no dispatcher listens). */
export type TargetsChanged = Partial<Pick<Deps, "targetsChanged">>;

/** systemClock is the real clock. */
export const systemClock: Clock = { now: () => new Date() };

/** jsonLogger writes JSON lines to stdout (info) and stderr (warn, error). */
export function jsonLogger(base: Record<string, unknown> = {}): Logger {
  const write =
    (level: string, stream: NodeJS.WriteStream) =>
    (msg: string, fields: Record<string, unknown> = {}) =>
      stream.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...base, ...fields })}\n`);
  return {
    info: write("info", process.stdout),
    warn: write("warn", process.stderr),
    error: write("error", process.stderr),
  };
}

/** silentLogger drops everything; for tests. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

/** newId makes a random 16-hex-digit id, the same form SQL defaults produce. */
export function newId(): string {
  return crypto.randomUUID().replaceAll("-", "").slice(0, 16);
}
