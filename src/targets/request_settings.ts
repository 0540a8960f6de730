// The outbound-request settings a standalone webhook and an HTTP cron job share: how they are
// validated and merged over the stored ones on update. Their columns: request_settings_row.ts.
import { keepMaskedHeaders } from "../auth/header_masking";
import { z } from "zod";
import {
  maxInFlightField,
  methodField,
  rateLimitField,
  retryLimitField,
  retryScheduleField,
  TARGET_DEFAULTS,
  timeoutMsField,
  transformField,
} from "./target_input";
import { headersField } from "./header_input";
import { ValidationError } from "../errors";
import { bodyField, contentTypeField } from "./request_body";
import { secretField } from "./signing_secret";

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
  /** transform is a JSONata expression shaping each request (docs/control.md); null: sent as is. */
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

/** enablesTarget tells whether an update body says paused: false, which also enables a disabled target (docs/delivery.md). */
export function enablesTarget(input: unknown): boolean {
  return typeof input === "object" && input !== null && (input as Record<string, unknown>).paused === false;
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
