// The shapes REST answers have, as zod schemas, for the OpenAPI document (openapi.ts) and the
// test that checks real answers against it. Names follow one rule (docs/api.md): the delivery log row keeps
// VSKI's snake_case; every other shape is camelCase. Targets' shapes are in target_answers.ts.
import { z } from "zod";
import { TRIGGER_ACTIONS } from "../collections/collection_types";
import { LOG_SOURCES, LOG_STATUSES } from "../deliveries/log_filter";
import { HTTP_METHODS } from "../targets/target_input";

/** when is a point in time as answers write it. */
export const when = z.string().describe("ISO-8601 date-time, UTC");
/** maybe is a value or null. */
export const maybe = <T extends z.ZodType>(t: T) => t.nullable();

/** errorAnswer is the one error shape. */
export const errorAnswer = z
  .object({
    status: z.int(),
    code: z.string().describe("VALIDATION, BAD_REQUEST, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, … (docs/api.md)"),
    message: z.string(),
    data: z.record(z.string(), z.object({ code: z.string(), message: z.string() })).describe("Problems by field"),
  })
  .meta({ id: "Error" });

/** pageOf is the page shape of a listing; totals are -1 when skipTotal was asked for. */
export const pageOf = (item: z.ZodType) =>
  z.object({ page: z.int(), perPage: z.int(), totalItems: z.int(), totalPages: z.int(), items: z.array(item) });

/** recordAnswer is a record: its metadata and its fields (any of them, as asked with fields=). */
export const recordAnswer = z
  .looseObject({
    id: z.string(),
    collectionId: z.string(),
    collectionName: z.string(),
    created: when,
    updated: when,
  })
  .partial()
  .meta({ id: "Record" });

/** logAnswer is one delivery, in VSKI's snake_case WebhookLog shape. */
export const logAnswer = z
  .object({
    id: z.string(),
    source: z.enum(LOG_SOURCES),
    collection: maybe(z.string()),
    action: maybe(z.enum(TRIGGER_ACTIONS)),
    record_id: maybe(z.string()),
    webhook: maybe(z.string()),
    cron_job: maybe(z.string()),
    trigger_id: maybe(z.string()),
    url: z.string(),
    method: z.enum(HTTP_METHODS),
    payload: maybe(z.string()),
    status: z.enum(LOG_STATUSES),
    http_status: maybe(z.int()),
    error_msg: maybe(z.string()),
    response_body: maybe(z.string()),
    tries: z.int(),
    retry_limit: maybe(z.int()),
    next_attempt_at: maybe(when).describe("null once the delivery is finished"),
    duration_ms: maybe(z.int()),
    created_at: when,
    updated_at: when,
  })
  .meta({ id: "WebhookLog" });

/** attemptAnswer is one HTTP attempt of a delivery. */
export const attemptAnswer = z
  .object({
    n: z.int(),
    at: when,
    url: z.string(),
    httpStatus: maybe(z.int()),
    durationMs: maybe(z.int()),
    errorMsg: maybe(z.string()),
    responseBody: maybe(z.string()),
  })
  .meta({ id: "WebhookAttempt" });

/** queuedAnswer is a delivery just queued by a test or a trigger. */
export const queuedAnswer = z.object({
  deliveryId: z.string(),
  webhook: z.string().optional(),
  status: z.enum(["pending", "held"]),
  logUrl: z.string(),
});

/** statsAnswer is the dashboard's overview. */
export const statsAnswer = z.object({
  since: when,
  until: when,
  minutes: z.array(
    z.object({
      minute: z.string(),
      success: z.int(),
      failed: z.int(),
      recovered: z.int().describe("Of the successes, those delivered after a failed attempt"),
    }),
  ),
  queued: z.object({ pending: z.int(), processing: z.int(), held: z.int() }),
  oldestDueAt: maybe(when),
});

const keyFields = { id: z.string(), name: z.string(), scopes: z.array(z.string()), expiresAt: maybe(when) };
/** keyAnswer is an API key as listed (never the key itself). */
export const keyAnswer = z.object({ ...keyFields, created: when, lastUsed: maybe(when) }).meta({ id: "ApiKey" });
/** newKeyAnswer is a key just made: `key` appears in this answer only. */
export const newKeyAnswer = keyAnswer.extend({ key: z.string().describe("hk_…; shown once") });
/** callerAnswer says who the caller is. */
export const callerAnswer = z.object(keyFields);

/** countAnswer, idsAnswer and secretAnswer are the small answers of bulk and secret routes. */
export const countAnswer = z.object({ count: z.int() });
export const secretAnswer = z.object({ key: z.string().describe("whsec_…") });
export const healthAnswer = z.looseObject({ status: z.enum(["ok", "degraded"]), version: z.string() });
export const jwksAnswer = z.object({ keys: z.array(z.looseObject({ kty: z.string() })) });
