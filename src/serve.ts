// `hookd serve`: the only place that reads the environment, opens the database, starts
// background work and binds a port (main.ts imports it unless started as a SQL job process).
import { createApp } from "./app";
import { bootDeps } from "./boot";
import { CliError, helpText, parseCommand } from "./cli";
import { ConfigError, loadConfig } from "./config";
import { startCronScheduler } from "./cron/cron_scheduler";
import { redactDbUrl } from "./db/client";
import { DatabaseTooNewError } from "./db/migrate";
import { jsonLogger } from "./runtime/logger";
import { startDispatcher } from "./dispatch/dispatcher";
import { startInstanceRegistry } from "./dispatch/instance_registry";
import { startRetention } from "./deliveries/log_retention";
import { VERSION } from "./version";

/**
 * jitTier names JavaScriptCore's highest tier in this process: "ftl", or "dfg" when the
 * deployment sets BUN_JSC_useFTLJIT=0 (read by the runtime at startup only; see
 * docs/decisions/ on the JIT tier).
 */
function jitTier(env: NodeJS.ProcessEnv): "ftl" | "dfg" {
  return /^(0|false)$/i.test(env.BUN_JSC_useFTLJIT ?? "") ? "dfg" : "ftl";
}

// Time allowed on top of HOOKD_SHUTDOWN_MS for the final writes (attempts, released claims).
const SHUTDOWN_MARGIN_MS = 2_000;

async function main(): Promise<number> {
  const command = parseCommand(process.argv.slice(2));
  if (command.name === "help") return (void process.stdout.write(helpText()), 0);
  if (command.name === "version") return (void process.stdout.write(`hookd ${VERSION}\n`), 0);

  const config = loadConfig(command.flags, process.env);
  const log = jsonLogger({ instance: config.instanceId });
  const deps = await bootDeps(config, log, {
    onAdminToken: (token) =>
      process.stdout.write(`\nGenerated admin token (shown once, only its hash is stored):\n\n  ${token}\n\n`),
  });
  const instances = await startInstanceRegistry(deps, { comesBack: Boolean(process.env.HOOKD_INSTANCE_ID) });
  const dispatcher = await startDispatcher(deps);
  const cron = await startCronScheduler(deps);
  const retention = startRetention(deps);
  const app = createApp(deps);
  const server = Bun.serve({
    hostname: config.host,
    port: config.port,
    maxRequestBodySize: 64 * 1024 * 1024,
    fetch(req, srv) {
      // Bun closes a connection after 10 s without reading from it, even while a response is
      // being written, and yoga pings a subscription stream only every 12 s: a quiet GraphQL
      // subscription (SSE) would be cut. Those requests alone get no idle timeout.
      if (req.headers.get("accept")?.includes("text/event-stream")) srv.timeout(req, 0);
      return app.fetch(req);
    },
  });
  log.info("listening", {
    url: `http://${server.hostname}:${server.port}`,
    db: redactDbUrl(config.dbUrl),
    version: VERSION,
    jitTier: jitTier(process.env),
  });

  // Stopping is bounded whatever the database does: a server that stops answering would hold
  // a claim, a cron run or the final writes forever. Past HOOKD_SHUTDOWN_MS plus a margin the
  // process exits anyway. Nothing committed is lost; attempts that ended but were not yet
  // written are sent again (same webhook-id) once their lease runs out.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("stopping", { signal });
    const boundMs = config.shutdownMs + SHUTDOWN_MARGIN_MS;
    setTimeout(() => {
      log.error("stopping did not finish in time (is the database answering?); exiting now", { boundMs });
      process.exit(1);
    }, boundMs).unref();
    // All at once, within the one bound: deliveries a last cron run enqueues are committed
    // and wait in the database for the next claim, here or on another instance.
    await Promise.all([server.stop(), cron.stop(), retention.stop(), dispatcher.stop(), instances.stop()]);
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
    if (err instanceof ConfigError || err instanceof CliError || err instanceof DatabaseTooNewError) {
      process.stderr.write(`hookd: ${err.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`hookd: failed to start: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);
