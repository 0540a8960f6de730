// The outbound-request settings a standalone webhook and an HTTP cron job share: how they
// are validated, read back from their row, written, and merged over the stored ones on update.
import { keepMaskedHeaders } from "../auth/header_masking";
import type { Row } from "../db/client";
import { z } from "zod";
import {
  headersField,
  maxInFlightField,
  methodField,
  rateLimitField,
  retryLimitField,
  retryScheduleField,
  TARGET_DEFAULTS,
  timeoutMsField,
  transformField,
} from "./target_input";
import { ValidationError } from "../errors";
import { bodyField, contentTypeField, contentTypeHeader, sendsBody } from "./request_body";
import { secretField } from "./signing_secret";

/** DeliveryRequest is everything needed to send one delivery. */
export interface DeliveryRequest {
  source: "webhook" | "cron";
  webhook?: string;
  cronJob?: string;
  /** target is the key of the webhook or cron job (target_key.ts), for its current settings, secret and health. */
  target?: string;
  url: string;
  method: string;
  headers: Record<string, string>;
  payload: string | null;
  contentType: string;
  jwtEnabled: boolean;
  timeoutMs: number;
  retryLimit: number;
  /** paused makes the delivery wait as held; a disabled target holds it too. */
  paused: boolean;
}

/** RequestSettings are how a webhook or HTTP cron job calls its URL. */
export interface RequestSettings {
  method: string;
  headers: Record<string, string>;
  body: string | null;
  contentType: string;
  /** retryLimit caps the attempts in all; null: the retry schedule decides. */
  retryLimit: number | null;
  /** retrySchedule is the target's own wait before each retry; null: HOOKD_RETRY_SCHEDULE. */
  retrySchedule: string[] | null;
  jwtEnabled: boolean;
  timeoutMs: number;
  active: boolean;
  paused: boolean;
  /** transform is a JSONata expression shaping each request (SPEC §14); null: sent as is. */
  transform: string | null;
  /** rateLimit is deliveries per second; null: no limit. */
  rateLimit: number | null;
  /** maxInFlight is attempts under way at once; null: no limit. */
  maxInFlight: number | null;
}

const bool = () => z.boolean({ error: "must be true or false" });

/** requestSettingsFields validate the settings as a user gives them: body not yet encoded, VSKI's `enabled` beside `active`. */
export const requestSettingsFields = {
  method: methodField.default(TARGET_DEFAULTS.method),
  headers: headersField.nullish().transform((h) => h ?? {}),
  body: bodyField.nullish(),
  contentType: contentTypeField.nullish().transform((c) => c ?? "json"),
  retryLimit: retryLimitField.nullable().default(null),
  retrySchedule: retryScheduleField.nullable().default(null),
  jwtEnabled: bool().default(TARGET_DEFAULTS.jwtEnabled),
  timeoutMs: timeoutMsField.default(TARGET_DEFAULTS.timeoutMs),
  active: bool().optional(),
  enabled: bool().optional(),
  paused: bool().default(false),
  // An empty expression is none.
  transform: transformField
    .nullable()
    .default(null)
    .transform((t) => (t?.trim() ? t : null)),
  rateLimit: rateLimitField.nullable().default(null),
  maxInFlight: maxInFlightField.nullable().default(null),
  // Given on create or update to set the signing secret; never stored with the definition.
  secret: secretField.optional(),
};

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

/** REQUEST_SETTING_NAMES are the request settings as clients name them: what a change log line may name as changed. */
export const REQUEST_SETTING_NAMES = [
  "method",
  "headers",
  "body",
  "contentType",
  "retryLimit",
  "retrySchedule",
  "jwtEnabled",
  "timeoutMs",
  "active",
  "paused",
  "transform",
  "rateLimit",
  "maxInFlight",
] as const satisfies readonly (keyof RequestSettings)[];

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

/** enablesTarget tells whether an update body says paused: false, which also enables a disabled target (SPEC §9). */
export function enablesTarget(input: unknown): boolean {
  return typeof input === "object" && input !== null && (input as Record<string, unknown>).paused === false;
}

/** toDeliveryRequest turns a webhook's or HTTP cron job's settings into the delivery to enqueue; GET and HEAD carry no body. */
export function toDeliveryRequest(
  from: Pick<DeliveryRequest, "source" | "webhook" | "cronJob" | "target">,
  url: string,
  settings: RequestSettings,
  body: string | null,
): DeliveryRequest {
  return {
    ...from,
    url,
    method: settings.method,
    headers: settings.headers,
    payload: sendsBody(settings.method) ? body : null,
    contentType: contentTypeHeader(settings.contentType),
    jwtEnabled: settings.jwtEnabled,
    timeoutMs: settings.timeoutMs,
    retryLimit: settings.retryLimit ?? 0,
    paused: settings.paused,
  };
}

/** mergeOverStored checks that a body is an object and lays it over the stored definition (none on create). */
export function mergeOverStored(
  input: unknown,
  stored?: { active: boolean; headers?: Record<string, string> },
): Record<string, unknown> {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new ValidationError("the body must be a JSON object", {
      body: { code: "invalid_type", message: "must be a JSON object" },
    });
  }
  // VSKI clients send `enabled`; when an update names either, it must win over the stored `active`.
  const given = input as Record<string, unknown>;
  const base =
    stored && (given.active !== undefined || given.enabled !== undefined) ? { ...stored, active: undefined } : stored;
  const merged: Record<string, unknown> = { ...base, ...given };
  // Header values a caller without secrets:read got masked come back as they are stored.
  if (stored && given.headers !== undefined) merged.headers = keepMaskedHeaders(given.headers, stored.headers);
  return merged;
}
