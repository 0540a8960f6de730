import type { Config } from "./config";
import type { Db } from "./db/client";
import type { AdminAuth } from "./auth/admin_token";
import type { AtRest } from "./auth/at_rest";
import type { Authenticator } from "./auth/authenticator";
import type { Signer } from "./auth/jwt_signer";
import type { Metrics } from "./metrics/metrics";
import type { LogFeed } from "./live/log_feed";
import type { RecordFeed } from "./live/record_feed";
import type { LevelLogger } from "./lib/json_logger";
import type { OpsEvents } from "./ops/ops_events";
import type { SubscriptionLimit } from "./live/subscription_limit";

/** Clock tells the time; tests may pass their own. */
export interface Clock {
  now(): Date;
}

/** Logger writes one structured line per event (lib/json_logger.ts in a running hookd). */
export type Logger = LevelLogger;

/** SqlJobRunner runs a SQL cron job's script as one transaction, after checking it against the rules for jobs. */
export interface SqlJobRunner {
  /** run answers the rows the statements changed; it throws SqlJobRefused when the rules refuse the job, or the database's error. */
  run(sql: string): Promise<number>;
  /** check throws SqlJobRefused when the rules refuse the job (other errors, such as a table that does not exist yet, are the run's to report). */
  check(sql: string): Promise<void>;
  /** close ends any job processes; runs in progress fail. */
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
  /** auth tells who a token belongs to: the admin or an API key (cached per instance). */
  auth: Authenticator;
  /** atRest seals secrets before they are stored and opens them when read (HOOKD_ENCRYPTION_KEY). */
  atRest: AtRest;
  sqlJobs: SqlJobRunner;
  /** metrics is this app's own Prometheus registry and the counters hookd's parts increment. */
  metrics: Metrics;
  /** ops sends hookd's own operational events to the webhooks that subscribe to them. */
  ops: OpsEvents;
  /** live streams delivery and record changes to GraphQL subscriptions. */
  live: { logs: LogFeed; records: RecordFeed; limit: SubscriptionLimit };
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

/** silentLogger drops everything; for tests. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** newId makes a random 16-hex-digit id, the same form SQL defaults produce. */
export function newId(): string {
  return crypto.randomUUID().replaceAll("-", "").slice(0, 16);
}
