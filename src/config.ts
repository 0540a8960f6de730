// Settings come from flags, then HOOKD_* variables, then defaults. Every setting is
// declared once in SETTINGS so that parsing, --help and the README table agree.
import { isIP } from "node:net";
import { parseCidrList, type Cidr } from "./lib/cidr";

export interface Config {
  dbUrl: string;
  dbAuthToken: string | undefined;
  port: number;
  host: string;
  adminToken: string | undefined;
  retryBaseMs: number;
  allowNets: Cidr[];
  jwtSecret: string | undefined;
  jwtTtlSeconds: number;
  concurrency: number;
  hostConcurrency: number;
  pollMs: number;
  leaseMs: number;
  shutdownMs: number;
  instanceId: string;
  metricsToken: string | undefined;
  retainSuccessMs: number;
  retainFailedMs: number;
  retentionEveryMs: number;
  disableAfterMs: number;
  disableMinFailures: number;
  sqlJobTimeoutMs: number;
  sqlJobProcesses: number;
}

interface Setting<K extends keyof Config = keyof Config> {
  key: K;
  env: string;
  flag?: string;
  default: string;
  help: string;
  parse: (raw: string, name: string) => Config[K];
}

/** ConfigError names the setting whose value was not accepted. */
export class ConfigError extends Error {}

function integer(min: number, max: number) {
  return (raw: string, name: string): number => {
    const n = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || n < min || n > max) {
      throw new ConfigError(`${name}: "${raw}" is not accepted; expected an integer from ${min} to ${max}`);
    }
    return n;
  };
}

const text = (raw: string) => raw;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** duration reads 90s, 12h, 7d, 500ms (a bare number is seconds); `0` is allowed only where it means "never". */
function duration(minMs: number, { zero = false } = {}) {
  return (raw: string, name: string): number => {
    const m = /^(\d+)(ms|s|m|h|d)?$/.exec(raw.trim());
    const ms = m ? Number(m[1]) * UNIT_MS[m[2] ?? "s"]! : NaN;
    if (zero && ms === 0) return 0;
    if (!Number.isSafeInteger(ms) || ms < minMs || ms > 3650 * UNIT_MS.d!) {
      throw new ConfigError(
        `${name}: "${raw}" is not accepted; expected a duration such as 90s, 12h or 7d (at least ${minMs} ms)${zero ? ", or 0" : ""}`,
      );
    }
    return ms;
  };
}

const HOSTNAME = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

function host(raw: string, name: string): string {
  // Dotted digits must be a real IPv4 address; "999.1.1.1" is not a host name either.
  const ok = isIP(raw) !== 0 || (HOSTNAME.test(raw) && !/^[\d.]+$/.test(raw) && raw.length <= 253);
  if (!ok)
    throw new ConfigError(
      `${name}: "${raw}" is not accepted; expected an IP address (127.0.0.1, 0.0.0.0, ::1) or a host name (localhost)`,
    );
  return raw;
}

const optional = (raw: string) => (raw === "" ? undefined : raw);

function databaseUrl(raw: string, name: string): string {
  if (raw === ":memory:" || /^(file:|https?:\/\/|libsql:\/\/|wss?:\/\/)/.test(raw)) return raw;
  throw new ConfigError(
    `${name}: "${raw}" is not accepted; expected file:PATH, :memory:, http://HOST:PORT or libsql://HOST`,
  );
}

function cidrs(raw: string, name: string): Cidr[] {
  try {
    return parseCidrList(raw);
  } catch (err) {
    throw new ConfigError(
      `${name}: ${(err as Error).message}; expected a comma-separated CIDR list such as 127.0.0.0/8,10.0.0.0/8`,
    );
  }
}

function setting<K extends keyof Config>(s: Setting<K>): Setting<K> {
  return s;
}

/** SETTINGS lists every setting with its flag, variable, default and meaning. */
export const SETTINGS = [
  setting({
    key: "dbUrl",
    env: "HOOKD_DB_URL",
    flag: "--db",
    default: "file:./data/hookd.db",
    help: "Database: file:PATH (embedded), :memory:, or http:// / libsql:// for a libSQL server",
    parse: databaseUrl,
  }),
  setting({
    key: "dbAuthToken",
    env: "HOOKD_DB_AUTH_TOKEN",
    default: "",
    help: "Auth token for a libsql:// or http:// database server",
    parse: optional,
  }),
  setting({
    key: "port",
    env: "HOOKD_PORT",
    flag: "--port",
    default: "8090",
    help: "TCP port to listen on (0 picks a free one)",
    parse: integer(0, 65535),
  }),
  setting({
    key: "host",
    env: "HOOKD_HOST",
    flag: "--host",
    default: "127.0.0.1",
    help: "Address to listen on",
    parse: host,
  }),
  setting({
    key: "adminToken",
    env: "HOOKD_ADMIN_TOKEN",
    default: "",
    help: "Admin token; when unset the first start generates one, stores its hash and prints it once",
    parse: optional,
  }),
  setting({
    key: "retryBaseMs",
    env: "HOOKD_RETRY_BASE_MS",
    default: "2000",
    help: "Delay after the first failed attempt; the n-th failure waits base × 2^(n-1), capped at 1 h",
    parse: integer(1, 3_600_000),
  }),
  setting({
    key: "allowNets",
    env: "HOOKD_ALLOW_NETS",
    default: "",
    help: "CIDR list of private/loopback/link-local targets deliveries may reach (refused by default)",
    parse: cidrs,
  }),
  setting({
    key: "jwtSecret",
    env: "HOOKD_JWT_SECRET",
    default: "",
    help: "Shared secret: sign webhook JWTs with HS256 instead of the instance's ES256 key",
    parse: optional,
  }),
  setting({
    key: "jwtTtlSeconds",
    env: "HOOKD_JWT_TTL_SECONDS",
    default: "300",
    help: "Lifetime of a webhook JWT (exp - iat)",
    parse: integer(1, 86_400),
  }),
  setting({
    key: "concurrency",
    env: "HOOKD_CONCURRENCY",
    default: "128",
    help: "Deliveries in flight at once, in all",
    parse: integer(1, 10_000),
  }),
  setting({
    key: "hostConcurrency",
    env: "HOOKD_HOST_CONCURRENCY",
    default: "64",
    help: "Deliveries in flight at once to one target host",
    parse: integer(1, 10_000),
  }),
  setting({
    key: "pollMs",
    env: "HOOKD_POLL_MS",
    default: "250",
    help: "How often to look for deliveries written by other processes or instances",
    parse: integer(10, 60_000),
  }),
  setting({
    key: "leaseMs",
    env: "HOOKD_LEASE_MS",
    default: "60000",
    help: "How long a claimed delivery stays with this instance before others may take it over",
    parse: integer(1_000, 3_600_000),
  }),
  setting({
    key: "shutdownMs",
    env: "HOOKD_SHUTDOWN_MS",
    default: "10000",
    help: "On SIGTERM, how long in-flight attempts may take before the rest is released (the process exits at the latest 2 s later)",
    parse: integer(0, 600_000),
  }),
  setting({
    key: "instanceId",
    env: "HOOKD_INSTANCE_ID",
    default: "",
    help: "Name of this instance in leases and logs (default: a random id per start)",
    parse: text,
  }),
  setting({
    key: "metricsToken",
    env: "HOOKD_METRICS_TOKEN",
    default: "",
    help: "A token that may read /metrics (Bearer or X-API-Key) without being the admin token",
    parse: optional,
  }),
  setting({
    key: "retainSuccessMs",
    env: "HOOKD_RETAIN_SUCCESS",
    default: "7d",
    help: "Delete success and cancelled deliveries (with their attempts) this long after they finished; 0 keeps them forever",
    parse: duration(1_000, { zero: true }),
  }),
  setting({
    key: "retainFailedMs",
    env: "HOOKD_RETAIN_FAILED",
    default: "30d",
    help: "Delete failed deliveries (with their attempts) this long after they failed; 0 keeps them forever",
    parse: duration(1_000, { zero: true }),
  }),
  setting({
    key: "disableAfterMs",
    env: "HOOKD_DISABLE_AFTER",
    default: "5d",
    help: "Disable a trigger, webhook or cron job whose deliveries have kept failing, with no success, this long; 0 never disables (410 Gone still does)",
    parse: duration(100, { zero: true }),
  }),
  setting({
    key: "disableMinFailures",
    env: "HOOKD_DISABLE_MIN_FAILURES",
    default: "10",
    help: "Auto-disable also needs at least this many failed deliveries in a row",
    parse: integer(1, 1_000_000),
  }),
  setting({
    key: "sqlJobTimeoutMs",
    env: "HOOKD_SQL_JOB_TIMEOUT",
    default: "30s",
    help: "Stop a SQL cron job run that takes longer (on a file or a libSQL server), keeping none of its writes; 0 lets runs take any time",
    parse: duration(100, { zero: true }),
  }),
  setting({
    key: "sqlJobProcesses",
    env: "HOOKD_SQL_JOB_PROCESSES",
    default: "2",
    help: "SQL cron job runs at once (on a file, each in a job process of about 65 MB); a run that finds them all busy waits, until its job's next tick at most",
    parse: integer(1, 64),
  }),
  setting({
    key: "retentionEveryMs",
    env: "HOOKD_RETENTION_EVERY",
    default: "1m",
    help: "How often a retention pass runs (one instance at a time)",
    parse: duration(100),
  }),
] as const;

/** loadConfig resolves every setting from flags, then env, then defaults; it throws ConfigError. */
export function loadConfig(flags: Record<string, string>, env: Record<string, string | undefined>): Config {
  const out: Record<string, unknown> = {};
  for (const s of SETTINGS as readonly Setting[]) {
    const fromFlag = s.flag ? flags[s.flag] : undefined;
    const raw = fromFlag ?? env[s.env] ?? s.default;
    out[s.key] = s.parse(raw, fromFlag !== undefined ? `${s.flag} (${s.env})` : s.env);
  }
  const config = out as unknown as Config;
  if (!config.instanceId) config.instanceId = crypto.randomUUID().slice(0, 8);
  return config;
}

/** testConfig gives a config for in-process tests: memory database, fast retries, loopback allowed. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig(
      {},
      {
        HOOKD_DB_URL: ":memory:",
        HOOKD_ADMIN_TOKEN: "test-token",
        HOOKD_RETRY_BASE_MS: "20",
        HOOKD_ALLOW_NETS: "127.0.0.0/8",
      },
    ),
    ...overrides,
  };
}
