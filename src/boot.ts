// Opens everything a running hookd needs, in order: database, migrations, keys, admin token.
import { loadAdminAuth } from "./auth/admin_token";
import { atRest as makeAtRest } from "./auth/at_rest";
import { Authenticator } from "./auth/authenticator";
import { prepareAtRest } from "./collections/seal_existing";
import { loadSigner } from "./auth/jwt_signer";
import { upgradeCaptureTriggers } from "./collections/capture_upgrade";
import { renameShadowingCollections, rewriteRenamedCaptures } from "./collections/shadowing_upgrade";
import type { Config } from "./config";
import { createSqlJobRunner } from "./cron/sql_job_runner";
import { dbHealth } from "./db/db_health";
import { checkSchemaVersion, migrate } from "./db/migrate";
import { openCheckedDatabase } from "./db/open_checked";
import type { Deps } from "./deps";
import { createMetrics } from "./metrics/metrics";
import { LogFeed } from "./live/log_feed";
import { RecordFeed } from "./live/record_feed";
import { SubscriptionLimit } from "./live/subscription_limit";
import { OpsEvents } from "./ops/ops_events";
import { systemClock, type Clock } from "./runtime/clock";
import type { Logger } from "./runtime/logger";
import { createSignals } from "./runtime/signals";
import { systemTimers, type Timers } from "./runtime/timers";

/** BootOptions lets tests pass their own clock and timers; onAdminToken receives a generated token once; dbSetting names the database setting in errors. */
export interface BootOptions {
  clock?: Clock;
  timers?: Timers;
  onAdminToken?: (token: string) => void;
  dbSetting?: string;
}

/** bootDeps opens the database, applies migrations (and rewrites capture triggers an older release wrote) and loads keys; the answer (and the config) is frozen. */
export async function bootDeps(config: Config, log: Logger, opts: BootOptions = {}): Promise<Deps> {
  const clock = opts.clock ?? systemClock;
  const db = await openCheckedDatabase(config.dbUrl, config.dbAuthToken, opts.dbSetting ?? "HOOKD_DB_URL");
  // Nothing is changed in a database a newer hookd made; then a collection that would stop
  // hookd's own SQL is moved aside before any of it (migrations included) runs.
  dbHealth(db).onChange = (change) =>
    "recovered" in change
      ? log.info("database writes work again")
      : log.error("database writes are failing; they answer 503 until it can write again", change);
  await checkSchemaVersion(db);
  const renamed = await renameShadowingCollections({ db, clock, log });
  await migrate(db);
  // Before the capture triggers are rewritten: they copy header values, sealed from here on.
  const atRest = makeAtRest(config.encryptionKey);
  await prepareAtRest({ db, clock, log }, atRest);
  await upgradeCaptureTriggers({ db, clock });
  await rewriteRenamedCaptures({ db, clock, log }, renamed);
  const signer = await loadSigner(db, {
    atRest,
    secret: config.jwtSecret,
    ttlSeconds: config.jwtTtlSeconds,
    issuer: "hookd",
    now: () => clock.now(),
  });
  const admin = await loadAdminAuth(db, config.adminToken, opts.onAdminToken ?? (() => {}));
  const auth = new Authenticator({ db, clock, log, admin, pollMs: config.pollMs });
  const sqlJobs = createSqlJobRunner(config.dbUrl, db, {
    timeoutMs: config.sqlJobTimeoutMs,
    processes: config.sqlJobProcesses,
    authToken: config.dbAuthToken,
  });
  const live = Object.freeze({
    logs: new LogFeed({ db, clock, config, log }),
    records: new RecordFeed(),
    limit: new SubscriptionLimit(config.maxSubscriptions),
  });
  const signals = createSignals();
  return Object.freeze({
    config: Object.freeze(config),
    db,
    clock,
    timers: opts.timers ?? systemTimers,
    log,
    signer,
    admin,
    auth,
    atRest,
    sqlJobs,
    metrics: createMetrics(db, clock),
    live,
    ops: new OpsEvents({ db, clock, log, signals }),
    signals,
  });
}
