// `hookd serve`: the only place that reads the settings from the environment, opens the
// database, starts background work and binds a port (main.ts imports it unless started as a SQL
// job process, after applying HOOKD_JIT, which must act before any of this loads).
import { createApp } from "./app";
import { bootDeps } from "./boot";
import { CliError, helpText, parseCommand } from "./cli";
import { listen, settingLabel } from "./listen";
import { ConfigError, loadConfig } from "./config";
import { startCronScheduler } from "./cron/cron_scheduler";
import { redactDbUrl } from "./db/client";
import { DatabaseTooNewError } from "./db/migrate";
import { jsonLine, jsonLogger } from "./lib/json_logger";
import { startDispatcher } from "./dispatch/dispatcher";
import { startInstanceRegistry } from "./dispatch/instance_registry";
import { startRetention } from "./deliveries/log_retention";
import { VERSION } from "./version";
import type { Logger } from "./runtime/logger";
import { startBacklogWatch } from "./ops/backlog_watch";
import { runFileCommand } from "./backups/backup_cli";
import { startBackupSchedule } from "./backups/backup_schedule";
import { runningTier } from "./runtime/jit_tier";

// Time allowed on top of HOOKD_SHUTDOWN_MS for the final writes (attempts, released claims).
const SHUTDOWN_MARGIN_MS = 2_000;

/** exitAfter ends the process after boundMs whatever the database does: a server that stops answering would hold a claim, a cron run or the final writes forever. */
function exitAfter(boundMs: number, log: Logger): void {
  setTimeout(() => {
    log.error("stopping did not finish in time (is the database answering?); exiting now", { boundMs });
    process.exit(1);
  }, boundMs).unref();
}

async function main(): Promise<number> {
  const command = parseCommand(process.argv.slice(2));
  if (command.name === "help") return (void process.stdout.write(helpText()), 0);
  if (command.name === "version") return (void process.stdout.write(`hookd ${VERSION}\n`), 0);
  if (command.name === "backup" || command.name === "restore") {
    process.stdout.write(`${await runFileCommand(command, process.env)}\n`);
    return 0;
  }

  const config = loadConfig(command.flags, process.env);
  const log = jsonLogger(config.logLevel, { instance: config.instanceId });
  // main.ts applied HOOKD_JIT before loading the server (runtime/jit_tier.ts), unless it could not.
  if (config.jitTier !== runningTier(process.env) && process.env.BUN_JSC_useFTLJIT === undefined)
    log.warn("HOOKD_JIT could not be applied: this platform cannot restart a process in place", {
      jitTier: runningTier(process.env),
    });
  // The port first: a port in use stops start-up before the database is touched.
  const listener = listen(config, command.flags);
  const server = listener.server;
  // Signals are taken from here on: one that arrives while start-up is still under way is
  // acted on as soon as it finishes (within the same bound), never by the default action,
  // which would end the process without releasing its claims.
  const boundMs = config.shutdownMs + SHUTDOWN_MARGIN_MS;
  let stopNow: ((signal: string) => void) | undefined;
  let signalled: string | undefined;
  const onSignal = (signal: string) => {
    if (stopNow) return stopNow(signal);
    if (signalled) return;
    signalled = signal;
    exitAfter(boundMs, log);
  };
  process.on("SIGTERM", () => onSignal("SIGTERM"));
  process.on("SIGINT", () => onSignal("SIGINT"));
  const deps = await bootDeps(config, log, {
    dbSetting: settingLabel(command.flags, "HOOKD_DB_URL"),
    // Whatever HOOKD_LOG_LEVEL says: it is shown this once and never again.
    onAdminToken: (token) =>
      process.stdout.write(
        jsonLine("warn", "generated an admin token; it is shown once, only its hash is stored", {
          instance: config.instanceId,
          token,
        }),
      ),
  }).catch((err) => {
    server.stop(true);
    throw err;
  });
  const instances = await startInstanceRegistry(deps, { comesBack: Boolean(process.env.HOOKD_INSTANCE_ID) });
  const dispatcher = await startDispatcher(deps);
  const cron = await startCronScheduler(deps);
  const retention = startRetention(deps);
  const backlog = startBacklogWatch(deps);
  const backups = startBackupSchedule(deps);
  const app = createApp(deps);
  listener.ready((req) => app.fetch(req));
  const base = listener.baseUrl;
  log.info("listening", {
    url: base,
    api: `${base}/api/`,
    graphql: `${base}/graphql`,
    dashboard: `${base}/_/`,
    db: redactDbUrl(config.dbUrl),
    version: VERSION,
    jitTier: runningTier(process.env),
  });
  // For a person at a terminal; stdout holds only JSON lines (for log collectors).
  process.stderr.write(
    `hookd ${VERSION} is running\n  API        ${base}/api/  (GraphQL: ${base}/graphql)\n  dashboard  ${base}/_/\n`,
  );

  // Stopping is bounded (exitAfter). Nothing committed is lost; attempts that ended but were not
  // yet written are sent again (same webhook-id) once their lease runs out.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("stopping", { signal });
    exitAfter(boundMs, log);
    // All at once, within the one bound: deliveries a last cron run enqueues are committed
    // and wait in the database for the next claim, here or on another instance.
    await Promise.all([
      server.stop(),
      cron.stop(),
      retention.stop(),
      backlog.stop(),
      backups.stop(),
      dispatcher.stop(),
      instances.stop(),
    ]);
    deps.sqlJobs.close();
    deps.db.close();
    log.info("stopped", { signal });
    process.exit(0);
  };
  stopNow = (signal) => void stop(signal);
  if (signalled) stopNow(signalled);
  return -1;
}

main().then(
  (code) => code >= 0 && process.exit(code),
  (err) => {
    if (err instanceof ConfigError || err instanceof CliError || err instanceof DatabaseTooNewError) {
      process.stderr.write(`hookd: ${err.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`hookd: failed to start: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
