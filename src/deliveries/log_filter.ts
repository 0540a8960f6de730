// The delivery log's filters (docs/operating.md), shared by the REST query string, the GraphQL
// `filter` input and the bulk actions: what a filter is, and one parser that names the
// parameter it rejects. Its translation to SQL is log_filter_sql.ts.
import { fieldError, ValidationError, validationErrorOf, type FieldErrors } from "../errors";

/** LOG_STATUSES are the states a delivery can be in. */
export const LOG_STATUSES = ["pending", "processing", "held", "success", "failed", "cancelled"] as const;
export type LogStatus = (typeof LOG_STATUSES)[number];

/** LOG_SOURCES are what can create a delivery. */
export const LOG_SOURCES = ["trigger", "webhook", "cron"] as const;

/** LogFilter narrows the log; absent parts do not filter. */
export interface LogFilter {
  source?: (typeof LOG_SOURCES)[number];
  collection?: string;
  trigger?: string;
  webhook?: string;
  cronJob?: string;
  recordId?: string;
  status?: LogStatus;
  httpStatus?: number;
  since?: string;
  until?: string;
  /** ids picks deliveries by id (a bulk action on a selection). */
  ids?: string[];
}

/** MAX_IDS bounds an `ids` filter: one statement's list. */
export const MAX_IDS = 1000;

/** LOG_FILTER_KEYS are the filter names, as REST parameters and GraphQL input fields. */
export const LOG_FILTER_KEYS = [
  "source",
  "collection",
  "trigger",
  "webhook",
  "cronJob",
  "recordId",
  "status",
  "httpStatus",
  "since",
  "until",
  "ids",
] as const;
/** FilterKey is one filter's name. */
export type FilterKey = (typeof LOG_FILTER_KEYS)[number];

// YYYY-MM-DD, or a date-time with optional seconds, fraction and zone (UTC when absent).
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;
// "now", or a time before it: -30s, -15m, -1h, -7d, -2w.
const RELATIVE = /^-(\d{1,6})([smhdw])$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

function oneOf<T extends string>(name: string, raw: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  throw fieldError(name, "invalid_value", `"${raw}" is not accepted; expected one of ${allowed.join(", ")}`);
}

function httpStatus(raw: unknown): number {
  const n = Number(raw);
  if (String(raw).trim() === "" || !Number.isInteger(n) || n < 100 || n > 599) {
    throw fieldError(
      "httpStatus",
      "invalid_value",
      `"${String(raw)}" is not an HTTP status; expected a whole number from 100 to 599`,
    );
  }
  return n;
}

/** idList reads a list of delivery ids: a JSON list, or a comma-separated string from a query string. */
function idList(raw: unknown): string[] {
  const list =
    typeof raw === "string"
      ? raw
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean)
      : raw;
  if (!Array.isArray(list) || list.some((id) => typeof id !== "string" || id === ""))
    throw fieldError("ids", "invalid_type", "expected a list of delivery ids");
  if (list.length === 0) throw fieldError("ids", "empty", "give at least one delivery id");
  if (list.length > MAX_IDS) throw fieldError("ids", "too_many", `at most ${MAX_IDS} ids at once`);
  return list as string[];
}

/** instant normalises an ISO-8601 date or date-time, "now" or a relative time (-1h) to the stored form (UTC, milliseconds). */
function instant(name: string, raw: string, now: Date): string {
  if (raw === "now") return now.toISOString();
  const relative = RELATIVE.exec(raw);
  if (relative) {
    const unit = relative[2] as keyof typeof UNIT_MS;
    return new Date(now.getTime() - Number(relative[1]) * UNIT_MS[unit]).toISOString();
  }
  const text = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:[\d.]+)?$/i.test(raw) ? `${raw}Z` : raw;
  const ms = ISO_8601.test(raw) ? Date.parse(text.replace(" ", "T")) : NaN;
  if (Number.isNaN(ms)) {
    throw fieldError(
      name,
      "invalid_value",
      `"${raw}" is not a time: give an ISO-8601 date or date-time (2026-01-31, 2026-01-31T12:00:00Z), now, or a time before now (-30s, -15m, -1h, -7d, -2w)`,
    );
  }
  return new Date(ms).toISOString();
}

/** LogFilterOptions: `now` anchors relative times; `strict` refuses unknown keys. */
export interface LogFilterOptions {
  now: Date;
  strict?: boolean;
}

/**
 * parseLogFilter validates a filter from a query string or a JSON/GraphQL object, reporting
 * every bad key at once. Empty and null values do not filter. With `strict`, an unknown key is
 * a 400 too: bulk actions use it, so a misspelt key can never widen what a retry or cancel touches.
 */
export function parseLogFilter(input: Record<string, unknown>, { now, strict = false }: LogFilterOptions): LogFilter {
  const problems: FieldErrors = {};
  const attempt = (step: () => void) => {
    try {
      step();
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      Object.assign(problems, err.data);
    }
  };
  if (strict) {
    for (const key of Object.keys(input)) {
      if (!(LOG_FILTER_KEYS as readonly string[]).includes(key)) {
        problems[`filter.${key}`] = {
          code: "unknown_filter",
          message: `unknown filter; expected ${LOG_FILTER_KEYS.join(", ")}`,
        };
      }
    }
  }
  const filter: LogFilter = {};
  for (const key of LOG_FILTER_KEYS) {
    const value = input[key];
    if (value === undefined || value === null || value === "") continue;
    attempt(() => {
      if (key === "httpStatus") {
        filter.httpStatus = httpStatus(value);
        return;
      }
      if (key === "ids") {
        filter.ids = idList(value);
        return;
      }
      if (typeof value !== "string")
        throw fieldError(key, "invalid_type", `expected a string, got ${JSON.stringify(value)}`);
      if (key === "status") filter.status = oneOf(key, value, LOG_STATUSES);
      else if (key === "source") filter.source = oneOf(key, value, LOG_SOURCES);
      else if (key === "since" || key === "until") filter[key] = instant(key, value, now);
      else filter[key] = value;
    });
  }
  if (filter.since && filter.until && filter.since > filter.until) {
    problems.until ??= { code: "invalid_value", message: `until (${filter.until}) is before since (${filter.since})` };
  }
  if (Object.keys(problems).length > 0) throw validationErrorOf(problems);
  return filter;
}

/** isEmptyFilter is true when the filter selects every delivery. */
export function isEmptyFilter(filter: LogFilter): boolean {
  return Object.values(filter).every((v) => v === undefined);
}
