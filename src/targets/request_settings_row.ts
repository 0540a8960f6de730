// The request settings of a _webhooks or _cron_jobs row: the columns both tables share, read
// back and written in one order.
import type { Row } from "../db/client";
import type { RequestSettings } from "./request_settings";

/** rowToRequestSettings reads the shared columns of a _webhooks or _cron_jobs row. */
export function rowToRequestSettings(row: Row): RequestSettings {
  return {
    method: String(row.method),
    headers: JSON.parse(String(row.headers)),
    body: row.body === null ? null : String(row.body),
    contentType: String(row.content_type),
    // Stored as 0 when unset (the column predates optional limits and is NOT NULL).
    retryLimit: Number(row.retry_limit) || null,
    retrySchedule:
      row.retry_schedule === null || row.retry_schedule === undefined ? null : JSON.parse(String(row.retry_schedule)),
    jwtEnabled: Number(row.jwt_enabled) === 1,
    timeoutMs: Number(row.timeout_ms),
    active: Number(row.active) === 1,
    paused: Number(row.paused) === 1,
    transform: row.transform === null || row.transform === undefined ? null : String(row.transform),
    rateLimit: row.rate_limit === null || row.rate_limit === undefined ? null : Number(row.rate_limit),
    maxInFlight: row.max_in_flight === null || row.max_in_flight === undefined ? null : Number(row.max_in_flight),
  };
}

/** REQUEST_SETTINGS_COLUMNS are the columns requestSettingsArgs gives values for, in order. */
export const REQUEST_SETTINGS_COLUMNS = [
  "method",
  "headers",
  "body",
  "content_type",
  "retry_limit",
  "retry_schedule",
  "jwt_enabled",
  "timeout_ms",
  "active",
  "paused",
  "transform",
  "rate_limit",
  "max_in_flight",
];

/** requestSettingsArgs gives the values for REQUEST_SETTINGS_COLUMNS. */
export function requestSettingsArgs(s: RequestSettings): (string | number | null)[] {
  return [
    s.method,
    JSON.stringify(s.headers),
    s.body,
    s.contentType,
    s.retryLimit ?? 0,
    s.retrySchedule === null ? null : JSON.stringify(s.retrySchedule),
    s.jwtEnabled ? 1 : 0,
    s.timeoutMs,
    s.active ? 1 : 0,
    s.paused ? 1 : 0,
    s.transform,
    s.rateLimit,
    s.maxInFlight,
  ];
}
