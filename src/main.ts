// The only place that reads the environment, opens the database, starts background work
// and binds a port.
import { createApp } from "./app";
import { bootDeps } from "./boot";
import { CliError, helpText, parseCommand } from "./cli";
import { ConfigError, loadConfig } from "./config";
import { startCronScheduler } from "./cron/cron_scheduler";
import { redactDbUrl } from "./db/client";
import { jsonLogger } from "./deps";
import { startDispatcher } from "./dispatch/dispatcher";
import { startRetention } from "./logs/log_retention";
import { VERSION } from "./version";

async function main(): Promise<number> {
  const command = parseCommand(process.argv.slice(2));
  if (command.name === "help") return void process.stdout.write(helpText()), 0;
  if (command.name === "version") return void process.stdout.write(`hookd ${VERSION}\n`), 0;

  const config = loadConfig(command.flags, process.env);
  const log = jsonLogger({ instance: config.instanceId });
  const deps = await bootDeps(config, log, {
    onAdminToken: (token) => process.stdout.write(`\nGenerated admin token (shown once, only its hash is stored):\n\n  ${token}\n\n`),
  });
  const dispatcher = await startDispatcher(deps);
  const cron = await startCronScheduler(deps);
  const retention = startRetention(deps);
  const app = createApp(deps);
  const server = Bun.serve({ hostname: config.host, port: config.port, fetch: app.fetch, maxRequestBodySize: 64 * 1024 * 1024 });
  log.info("listening", { url: `http://${server.hostname}:${server.port}`, db: redactDbUrl(config.dbUrl), version: VERSION });

  const stop = async (signal: string) => {
    log.info("stopping", { signal });
    await server.stop();
    // Cron first: its last runs may still enqueue deliveries for the dispatcher to take.
    await cron.stop();
    await retention.stop();
    await dispatcher.stop();
    deps.sqlJobs.close();
    deps.db.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
  return -1;
}

main().then(
  (code) => code >= 0 && process.exit(code),
  (err) => {
    if (err instanceof ConfigError || err instanceof CliError) {
      process.stderr.write(`hookd: ${err.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`hookd: failed to start: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
