// Opens everything a running hookd needs, in order: database, migrations, keys, admin token.
import { loadAdminAuth } from "./auth/admin_token";
import { loadSigner } from "./auth/jwt_signer";
import { upgradeCaptureTriggers } from "./collections/capture_upgrade";
import type { Config } from "./config";
import { createSqlJobRunner } from "./cron/sql_job_runner";
import { openDatabase } from "./db/client";
import { migrate } from "./db/migrate";
import { systemClock, type Clock, type Deps, type Logger } from "./deps";
import { createMetrics } from "./metrics/metrics";
import { LogFeed } from "./live/log_feed";
import { RecordFeed } from "./live/record_feed";

/** BootOptions lets tests pass their own clock; onAdminToken receives a generated token once. */
export interface BootOptions {
  clock?: Clock;
  onAdminToken?: (token: string) => void;
}

/** bootDeps opens the database, applies migrations (and rewrites capture triggers an older release wrote) and loads keys; wake, cronChanged and targetsChanged start as no-ops until a dispatcher and a cron scheduler are attached. */
export async function bootDeps(config: Config, log: Logger, opts: BootOptions = {}): Promise<Deps> {
  const clock = opts.clock ?? systemClock;
  const db = await openDatabase(config.dbUrl, config.dbAuthToken);
  await migrate(db);
  await upgradeCaptureTriggers({ db, clock });
  const signer = await loadSigner(db, {
    secret: config.jwtSecret,
    ttlSeconds: config.jwtTtlSeconds,
    issuer: "hookd",
    now: () => clock.now(),
  });
  const admin = await loadAdminAuth(db, config.adminToken, opts.onAdminToken ?? (() => {}));
  const sqlJobs = createSqlJobRunner(config.dbUrl, db, {
    timeoutMs: config.sqlJobTimeoutMs,
    processes: config.sqlJobProcesses,
    authToken: config.dbAuthToken,
  });
  const live = { logs: new LogFeed({ db, clock, config, log }), records: new RecordFeed() };
  return {
    config,
    db,
    clock,
    log,
    signer,
    admin,
    sqlJobs,
    metrics: createMetrics(db, clock),
    live,
    wake: () => {},
    cronChanged: () => {},
    targetsChanged: () => {},
  };
}
