// The parts a running hookd is made of, opened once by boot.ts and frozen: nothing is attached
// or replaced later. Parts that start afterwards (the dispatcher, the cron scheduler) subscribe
// to `signals` for the events they care about.
import type { Config } from "./config";
import type { Db } from "./db/client";
import type { AdminAuth } from "./auth/admin_token";
import type { AtRest } from "./auth/at_rest";
import type { Authenticator } from "./auth/authenticator";
import type { Signer } from "./auth/jwt_signer";
import type { Metrics } from "./metrics/metrics";
import type { LogFeed } from "./live/log_feed";
import type { RecordFeed } from "./live/record_feed";
import type { SubscriptionLimit } from "./live/subscription_limit";
import type { OpsEvents } from "./ops/ops_events";
import type { Clock } from "./runtime/clock";
import type { Logger } from "./runtime/logger";
import type { Signals } from "./runtime/signals";
import type { Timers } from "./runtime/timers";

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

/** Deps is everything hookd's parts need, passed in rather than imported as singletons; frozen once booted. */
export interface Deps {
  readonly config: Config;
  readonly db: Db;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly log: Logger;
  readonly signer: Signer;
  readonly admin: AdminAuth;
  /** auth tells who a token belongs to: the admin or an API key (cached per instance). */
  readonly auth: Authenticator;
  /** atRest seals secrets before they are stored and opens them when read (HOOKD_ENCRYPTION_KEY). */
  readonly atRest: AtRest;
  readonly sqlJobs: SqlJobRunner;
  /** metrics is this app's own Prometheus registry and the counters hookd's parts increment. */
  readonly metrics: Metrics;
  /** ops sends hookd's own operational events to the webhooks that subscribe to them. */
  readonly ops: OpsEvents;
  /** live streams delivery and record changes to GraphQL subscriptions. */
  readonly live: { readonly logs: LogFeed; readonly records: RecordFeed; readonly limit: SubscriptionLimit };
  /** signals carry "deliveries queued", "catalogue changed" and "cron changed" to whoever listens. */
  readonly signals: Signals;
}
