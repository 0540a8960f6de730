// How a setting's raw text is read: each parser answers the value or throws a ConfigError that
// names the setting and says what it accepts (the one line start-up prints before exit code 2).
import { isIP } from "node:net";
import { parseCidrList, type Cidr } from "../lib/cidr";
import { parseDurationMs } from "../lib/duration";
import { DEFAULT_RETRY_SCHEDULE, MAX_SCHEDULE_LENGTH, scheduleMs, scheduleProblem } from "../retry_schedule";

/** ConfigError names the setting whose value was not accepted. */
export class ConfigError extends Error {}

/** oneOf accepts exactly one of `values` (a log level, a JIT tier). */
export function oneOf<T extends string>(values: readonly T[]) {
  return (raw: string, name: string): T => {
    if ((values as readonly string[]).includes(raw)) return raw as T;
    throw new ConfigError(`${name}: "${raw}" is not accepted; expected one of ${values.join(", ")}`);
  };
}

export function integer(min: number, max: number) {
  return (raw: string, name: string): number => {
    const n = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || n < min || n > max) {
      throw new ConfigError(`${name}: "${raw}" is not accepted; expected an integer from ${min} to ${max}`);
    }
    return n;
  };
}

export const text = (raw: string) => raw;

const DAY_MS = 86_400_000;

/** duration reads 90s, 12h, 7d, 500ms (a bare number is seconds); `0` is allowed only where it means "never". */
export function duration(minMs: number, { zero = false } = {}) {
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
export function wholeSeconds(min: number, max: number) {
  return (raw: string, name: string): number => {
    const ms = parseDurationMs(raw);
    if (ms === null || ms % 1_000 !== 0 || ms < min * 1_000 || ms > max * 1_000)
      throw new ConfigError(`${name}: "${raw}" is not accepted; expected whole seconds from ${min}s to ${max}s`);
    return ms;
  };
}

/** originList reads a comma list of origins, each exactly scheme://host[:port] as browsers send it. */
export function originList(raw: string, name: string): string[] {
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

export function retrySchedule(raw: string, name: string): number[] {
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

export function host(raw: string, name: string): string {
  // Dotted digits must be a real IPv4 address; "999.1.1.1" is not a host name either.
  const ok = isIP(raw) !== 0 || (HOSTNAME.test(raw) && !/^[\d.]+$/.test(raw) && raw.length <= 253);
  if (!ok)
    throw new ConfigError(
      `${name}: "${raw}" is not accepted; expected an IP address (127.0.0.1, 0.0.0.0, ::1) or a host name (localhost)`,
    );
  return raw;
}

export const optional = (raw: string) => (raw === "" ? undefined : raw);

/** passphrase reads an optional secret of at least 32 characters (an AES-256 key is derived from it). */
export function passphrase(raw: string, name: string): string | undefined {
  if (raw === "") return undefined;
  if (raw.length < 32)
    throw new ConfigError(
      `${name}: too short (${raw.length} characters); use at least 32, e.g. openssl rand -base64 32`,
    );
  return raw;
}

/** databaseUrl takes a URL, or a plain path, which means the embedded file (`./x.db` → `file:./x.db`). */
export function databaseUrl(raw: string, name: string): string {
  if (raw === ":memory:" || /^(file:|https?:\/\/|libsql:\/\/|wss?:\/\/)/.test(raw)) return raw;
  if (raw.trim() !== "" && !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(raw)) return `file:${raw}`;
  throw new ConfigError(
    `${name}: "${raw}" is not accepted; expected a path (./data/hookd.db), file:PATH, :memory:, http://HOST:PORT or libsql://HOST`,
  );
}

export function cidrs(raw: string, name: string): Cidr[] {
  try {
    return parseCidrList(raw);
  } catch (err) {
    throw new ConfigError(
      `${name}: ${(err as Error).message}; expected a comma-separated CIDR list such as 127.0.0.0/8,10.0.0.0/8`,
    );
  }
}
