// Binding hookd's port. It happens before the database is opened, so a port in use stops
// start-up before anything is written — in particular before a fresh database generates and
// prints an admin token that would then never be usable. Requests that arrive while the rest
// starts wait for it.
import type { Server } from "bun";
import { ConfigError, SETTINGS, type Config } from "./config";
import { errorCause } from "./lib/error_cause";

/** Handler is what answers requests once hookd has started (the app's fetch). */
type Handler = (req: Request) => Response | Promise<Response>;

/** Listener is a bound port whose handler is given once start-up is done. */
export interface Listener {
  server: Server<undefined>;
  /** baseUrl is where hookd answers, as a user would open it (a wildcard host shown as loopback). */
  baseUrl: string;
  ready(handler: Handler): void;
}

/** settingLabel names a setting the way loadConfig does: `--port (HOOKD_PORT)` when the flag set it. */
export function settingLabel(flags: Record<string, string>, env: string): string {
  const flag = SETTINGS.find((s) => s.env === env && "flag" in s && s.flag && flags[s.flag] !== undefined);
  return flag && "flag" in flag ? `${flag.flag} (${env})` : env;
}

/** urlHost writes a host for a URL: wildcard addresses as loopback, IPv6 in brackets. */
export function urlHost(host: string): string {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}

/** listen binds config.host:config.port; a failure is a ConfigError naming the setting and the cause. */
export function listen(config: Config, flags: Record<string, string>): Listener {
  const handler = Promise.withResolvers<Handler>();
  let ready: Handler | null = null;
  let server: Server<undefined>;
  try {
    server = Bun.serve({
      hostname: config.host,
      port: config.port,
      maxRequestBodySize: 64 * 1024 * 1024,
      idleTimeout: config.idleTimeoutMs / 1_000,
      fetch(req, srv) {
        // Bun closes a connection after HOOKD_IDLE_TIMEOUT without reading from it, even while a
        // response is being written, and yoga pings a subscription stream only every 12 s: a quiet
        // GraphQL subscription (SSE) would be cut. Those requests alone get no idle timeout.
        if (req.headers.get("accept")?.includes("text/event-stream")) srv.timeout(req, 0);
        return ready ? ready(req) : handler.promise.then((h) => h(req));
      },
    });
  } catch (err) {
    const code = (err as { code?: string }).code;
    const setting = code === "EADDRINUSE" || code === "EACCES" ? "HOOKD_PORT" : "HOOKD_HOST";
    const hint = code === "EACCES" && config.port < 1024 ? "; ports below 1024 need privileges" : "";
    throw new ConfigError(
      `${settingLabel(flags, setting)}: cannot listen on ${urlHost(config.host)}:${config.port}: ${errorCause(err)}${hint}`,
    );
  }
  return {
    server,
    baseUrl: `http://${urlHost(server.hostname ?? config.host)}:${server.port}`,
    ready: (h) => {
      ready = h;
      handler.resolve(h);
    },
  };
}
