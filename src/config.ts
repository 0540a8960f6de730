// Settings come from flags, then HOOKD_* variables, then defaults. Every setting is
// declared once in SETTINGS so that parsing, --help and docs/configuration.md agree.
import { isIP } from "node:net";
import { parseCidrList, type Cidr } from "./lib/cidr";
import { parseDurationMs } from "./lib/duration";
import { LOG_LEVELS, type LogLevel } from "./lib/json_logger";
import { DEFAULT_RETRY_SCHEDULE, MAX_SCHEDULE_LENGTH, scheduleMs, scheduleProblem } from "./retry_schedule";

export interface Config {
  dbUrl: string;
  dbAuthToken: string | undefined;
  port: number;
  host: string;
  adminToken: string | undefined;
  retryBaseMs: number;
  /** retrySchedule is the default wait before each retry, in ms (HOOKD_RETRY_SCHEDULE), before scaling. */
  retrySchedule: number[];
  allowNets: Cidr[];
  jwtSecret: string | undefined;
  jwtTtlSeconds: number;
  concurrency: number;
  hostConcurrency: number;
  pollMs: number;
  leaseMs: number;
  shutdownMs: number;
  idleTimeoutMs: number;
  instanceId: string;
  metricsToken: string | undefined;
  corsOrigins: string[];
  encryptionKey: string | undefined;
  retainSuccessMs: number;
  retainFailedMs: number;
  retentionEveryMs: number;
  disableAfterMs: number;
  disableMinFailures: number;
  sqlJobTimeoutMs: number;
  sqlJobProcesses: number;
  maxAnswerBytes: number;
  maxSubscriptions: number;
  logLevel: LogLevel;
  alertAfter: number;
  alertBacklogMs: number;
  backupDir: string;
  backupEveryMs: number;
  backupKeep: number;
}

interface Setting<K extends keyof Config = keyof Config> {
  key: K;
  env: string;
  flag?: string;
  default: string;
  help: string;
  /** doc is the meaning as docs/configuration.md gives it (Markdown, links) when it says more than help. */
  doc?: string;
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

const DAY_MS = 86_400_000;

/** duration reads 90s, 12h, 7d, 500ms (a bare number is seconds); `0` is allowed only where it means "never". */
function duration(minMs: number, { zero = false } = {}) {
  return (raw: string, name: string): number => {
    const ms = parseDurationMs(raw) ?? Number.NaN;
    if (zero && ms === 0) return 0;
    if (!Number.isSafeInteger(ms) || ms < minMs || ms > 3650 * DAY_MS) {
      throw new ConfigError(
        `${name}: "${raw}" is not accepted; expected a duration such as 90s, 12h or 7d (at least ${minMs} ms)${zero ? ", or 0" : ""}`,
      );
    }
    return ms;
  };
}

/** wholeSeconds reads a duration (10s, 2m; a bare number is seconds) that is a whole number of seconds from min to max. */
function wholeSeconds(min: number, max: number) {
  return (raw: string, name: string): number => {
    const ms = parseDurationMs(raw);
    if (ms === null || ms % 1_000 !== 0 || ms < min * 1_000 || ms > max * 1_000)
      throw new ConfigError(`${name}: "${raw}" is not accepted; expected whole seconds from ${min}s to ${max}s`);
    return ms;
  };
}

/** originList reads a comma list of origins, each exactly scheme://host[:port] as browsers send it. */
function originList(raw: string, name: string): string[] {
  return raw
    .split(",")
    .map((o) => o.trim())
    .filter(Boolean)
    .map((o) => {
      let origin: string | null = null;
      try {
        origin = new URL(o).origin;
      } catch {}
      if (origin !== o || origin === "null")
        throw new ConfigError(
          `${name}: "${o}" is not accepted; expected an origin such as https://app.example.com (no path, no trailing /)`,
        );
      return o;
    });
}

function retrySchedule(raw: string, name: string): number[] {
  // Empty is refused rather than read as "no retries": an empty variable is far more often a slip.
  const entries = raw.split(",").map((e) => e.trim());
  const bad = entries.findIndex((e) => scheduleProblem(e) !== null);
  if (bad >= 0 || entries.length > MAX_SCHEDULE_LENGTH) {
    const why =
      bad >= 0 ? `"${entries[bad]}" ${scheduleProblem(entries[bad])}` : `at most ${MAX_SCHEDULE_LENGTH} retries`;
    throw new ConfigError(
      `${name}: "${raw}" is not accepted (${why}); expected a comma-separated list of durations such as ${DEFAULT_RETRY_SCHEDULE}`,
    );
  }
  return scheduleMs(entries);
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

/** passphrase reads an optional secret of at least 32 characters (an AES-256 key is derived from it). */
function passphrase(raw: string, name: string): string | undefined {
  if (raw === "") return undefined;
  if (raw.length < 32)
    throw new ConfigError(
      `${name}: too short (${raw.length} characters); use at least 32, e.g. openssl rand -base64 32`,
    );
  return raw;
}

/** databaseUrl takes a URL, or a plain path, which means the embedded file (`./x.db` → `file:./x.db`). */
function databaseUrl(raw: string, name: string): string {
  if (raw === ":memory:" || /^(file:|https?:\/\/|libsql:\/\/|wss?:\/\/)/.test(raw)) return raw;
  if (raw.trim() !== "" && !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(raw)) return `file:${raw}`;
  throw new ConfigError(
    `${name}: "${raw}" is not accepted; expected a path (./data/hookd.db), file:PATH, :memory:, http://HOST:PORT or libsql://HOST`,
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
    help: "Database: a path or file:PATH (embedded), :memory:, or http:// / libsql:// for a libSQL server",
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
    help: "Scales every retry delay by this / 2000 (for tests: 20 makes each wait 100 times shorter)",
    doc: "Scales every retry delay by this / 2000 (for tests: `20` makes each wait 100 times shorter, `1` 2000 times)",
    parse: integer(1, 3_600_000),
  }),
  setting({
    key: "retrySchedule",
    env: "HOOKD_RETRY_SCHEDULE",
    default: DEFAULT_RETRY_SCHEDULE,
    help: "Wait before each retry after the first attempt (8 attempts over ~27.6 h by default); a target's retrySchedule and retryLimit override it",
    doc: "Wait before each retry after the first attempt (8 attempts over ~27.6 h); a target's `retrySchedule` and `retryLimit` override it ([Delivery semantics](delivery.md#delivery-semantics))",
    parse: retrySchedule,
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
    help: "Deliveries in flight at once to one target host (a slow receiver holds at most this many of the slots)",
    parse: integer(1, 10_000),
  }),
  setting({
    key: "pollMs",
    env: "HOOKD_POLL_MS",
    default: "250",
    help: "How often to look for deliveries written by other processes or instances",
    doc: "How often to look for deliveries written by other instances (on a server) and retries due elsewhere; on a file, other processes' commits are noticed within 10 ms anyway",
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
    key: "idleTimeoutMs",
    env: "HOOKD_IDLE_TIMEOUT",
    default: "10s",
    help: "Close a connection that has sent nothing for this long (whole seconds, 1s to 255s; checked every 4 s); subscription streams are exempt",
    doc: "Close a connection that has sent nothing for this long (whole seconds, `1s` to `255s`; Bun checks every 4 s); GraphQL subscription streams are exempt ([keep-alive](operating.md#live-updates-graphql-subscriptions-over-sse))",
    parse: wholeSeconds(1, 255),
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
    doc: "A token that may read `/metrics` (Bearer or `X-API-Key`) without being the admin token",
    parse: optional,
  }),
  setting({
    key: "corsOrigins",
    env: "HOOKD_CORS_ORIGINS",
    default: "",
    help: "Comma list of browser origins (https://app.example.com) answered with CORS headers; none by default",
    doc: "Comma list of browser origins (`https://app.example.com`) answered with CORS headers; none by default",
    parse: originList,
  }),
  setting({
    key: "encryptionKey",
    env: "HOOKD_ENCRYPTION_KEY",
    default: "",
    help: "At least 32 characters: signing secrets, the JWT private key and target header values are stored sealed with it (AES-256-GCM); every instance needs the same one",
    doc: "At least 32 characters: signing secrets, the JWT private key and target header values are stored sealed with it (AES-256-GCM); every instance needs the same one ([Secrets at rest](security.md#secrets-at-rest))",
    parse: passphrase,
  }),
  setting({
    key: "retainSuccessMs",
    env: "HOOKD_RETAIN_SUCCESS",
    default: "7d",
    help: "Delete success and cancelled deliveries (with their attempts) this long after they finished; 0 keeps them forever",
    doc: "Delete `success` and `cancelled` deliveries (with their attempts) this long after they finished (`90s`, `12h`, `7d`; a bare number is seconds); `0` keeps them forever",
    parse: duration(1_000, { zero: true }),
  }),
  setting({
    key: "retainFailedMs",
    env: "HOOKD_RETAIN_FAILED",
    default: "30d",
    help: "Delete failed deliveries (with their attempts) this long after they failed; 0 keeps them forever",
    doc: "Delete `failed` deliveries (with their attempts) this long after they failed; `0` keeps them forever",
    parse: duration(1_000, { zero: true }),
  }),
  setting({
    key: "disableAfterMs",
    env: "HOOKD_DISABLE_AFTER",
    default: "5d",
    help: "Disable a trigger, webhook or cron job whose deliveries have kept failing, with no success, this long; 0 never disables (410 Gone still does)",
    doc: "Disable a trigger, webhook or cron job whose deliveries have kept ending `failed`, with no success, for this long (`90s`, `12h`, `5d`); `0` never disables (a `410 Gone` answer still does)",
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
    doc: "Stop a SQL cron job run that takes longer (on a file or a libSQL server; not on `:memory:`), keeping none of its writes (see [What SQL jobs may touch](security.md#what-sql-jobs-may-touch)); `0` lets runs take any time",
    parse: duration(100, { zero: true }),
  }),
  setting({
    key: "sqlJobProcesses",
    env: "HOOKD_SQL_JOB_PROCESSES",
    default: "2",
    help: "SQL cron job runs at once (on a file, each in a job process of about 65 MB); a run that finds them all busy waits, until just before its job's next tick",
    doc: "SQL cron job runs at once (on a file, each in a job process of about 65 MB); a run that finds them all busy waits, and a scheduled one that cannot start before its job's next tick is recorded `skipped` (see [What SQL jobs may touch](security.md#what-sql-jobs-may-touch))",
    parse: integer(1, 64),
  }),
  setting({
    key: "maxAnswerBytes",
    env: "HOOKD_MAX_ANSWER_BYTES",
    default: "16777216",
    help: "Largest answer (bytes) a REST listing or a GraphQL query may read; over it is a 413 (REST) or QUERY_TOO_COMPLEX (GraphQL), refused while the rows are read",
    doc: "Largest answer (bytes, 16 MiB) a REST listing or a GraphQL query may read: over it is a `413` (REST) or `QUERY_TOO_COMPLEX` (GraphQL), refused while the rows are read (see [Security](security.md#answer-and-subscription-limits))",
    parse: integer(1024, 1024 * 1024 * 1024),
  }),
  setting({
    key: "maxSubscriptions",
    env: "HOOKD_MAX_SUBSCRIPTIONS",
    default: "1000",
    help: "Live GraphQL subscriptions open at once on this instance; one more is refused with a 503",
    doc: "Live GraphQL subscriptions open at once on this instance; the next is refused with a `503`",
    parse: integer(1, 1_000_000),
  }),
  setting({
    key: "retentionEveryMs",
    env: "HOOKD_RETENTION_EVERY",
    default: "1m",
    help: "How often a retention pass runs (one instance at a time)",
    parse: duration(100),
  }),
  setting({
    key: "logLevel",
    env: "HOOKD_LOG_LEVEL",
    default: "info",
    help: "Least severe log line written to stdout: debug, info, warn or error",
    doc: "Least severe log line written to stdout: `debug`, `info`, `warn` or `error` ([what is logged](operating.md#what-is-logged))",
    parse: (raw, name) => {
      if ((LOG_LEVELS as readonly string[]).includes(raw)) return raw as LogLevel;
      throw new ConfigError(`${name}: "${raw}" is not accepted; expected one of ${LOG_LEVELS.join(", ")}`);
    },
  }),
  setting({
    key: "alertAfter",
    env: "HOOKD_ALERT_AFTER",
    default: "5",
    help: "Failed deliveries in a row after which a target is reported failing (log line, target.failing event)",
    doc: "Failed deliveries in a row after which a target is reported failing (log line, `target.failing` [event](operating.md#alerts-operational-events))",
    parse: integer(1, 1_000_000),
  }),
  setting({
    key: "alertBacklogMs",
    env: "HOOKD_ALERT_BACKLOG",
    default: "5m",
    help: "Report backlog.stale (and a log line) when the oldest due delivery has waited longer than this",
    doc: "Report `backlog.stale` (and a log line) when the oldest due delivery has waited longer than this",
    parse: duration(1_000),
  }),
  setting({
    key: "backupDir",
    env: "HOOKD_BACKUP_DIR",
    default: "./data/backups",
    help: "Where POST /api/backups and HOOKD_BACKUP_EVERY write backups of the database file",
    parse: (raw, name) => {
      if (raw.trim() === "") throw new ConfigError(`${name}: "" is not accepted; expected a directory`);
      return raw;
    },
  }),
  setting({
    key: "backupEveryMs",
    env: "HOOKD_BACKUP_EVERY",
    default: "0",
    help: "Back the database file up this often (24h, 6h; one instance at a time); 0 turns scheduled backups off",
    doc: "Back the database file up this often (`24h`, `6h`; one instance at a time); `0` turns scheduled backups off ([Backups](operating.md#backups-and-restore))",
    parse: duration(60_000, { zero: true }),
  }),
  setting({
    key: "backupKeep",
    env: "HOOKD_BACKUP_KEEP",
    default: "7",
    help: "Scheduled backups keep the newest this many backups in HOOKD_BACKUP_DIR",
    parse: integer(1, 100_000),
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
        // Doubling from the base, as retries went before the day-long default: tests of a few
        // retries wait 20 ms, 40 ms, 80 ms... Tests of the default schedule set their own.
        HOOKD_RETRY_SCHEDULE: "2s,4s,8s,16s,32s,64s,128s",
        HOOKD_ALLOW_NETS: "127.0.0.0/8",
      },
    ),
    ...overrides,
  };
}
