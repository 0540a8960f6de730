// The shapes REST answers have, as zod schemas, for the OpenAPI document (openapi.ts) and the
// test that checks real answers against it. Names follow SPEC §16: the delivery log row keeps
// VSKI's snake_case; every other shape is camelCase.
import { z } from "zod";
import { FIELD_TYPES, TRIGGER_ACTIONS } from "../collections/collection_types";
import { LOG_SOURCES, LOG_STATUSES } from "../deliveries/log_filter";
import { HTTP_METHODS } from "../targets/target_input";

const when = z.string().describe("ISO-8601 date-time, UTC");
const maybe = <T extends z.ZodType>(t: T) => t.nullable();

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

const health = {
  lastDeliveryAt: maybe(when),
  lastStatus: maybe(z.string()),
  consecutiveFailures: z.int(),
  failingSince: maybe(when),
  disabledAt: maybe(when),
  disabledReason: maybe(z.string()),
};

const requestSettings = {
  method: z.enum(HTTP_METHODS),
  headers: z.record(z.string(), z.string()),
  body: maybe(z.string()),
  contentType: z.string(),
  retryLimit: maybe(z.int()),
  retrySchedule: maybe(z.array(z.string())),
  jwtEnabled: z.boolean(),
  timeoutMs: z.int(),
  active: z.boolean(),
  paused: z.boolean(),
  transform: maybe(z.string()).describe("A JSONata expression shaping each request; null: sent as is"),
  rateLimit: maybe(z.number()).describe("Deliveries per second; null: no limit"),
  maxInFlight: maybe(z.int()).describe("Attempts under way at once; null: no limit"),
};

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

/** triggerAnswer is a collection's trigger with its health. */
export const triggerAnswer = z
  .object({
    id: z.string(),
    action: z.enum(TRIGGER_ACTIONS),
    url: z.string(),
    method: z.enum(HTTP_METHODS),
    headers: z.record(z.string(), z.string()),
    retryLimit: z.int().optional(),
    retrySchedule: z.array(z.string()).optional(),
    jwtEnabled: z.boolean(),
    timeoutMs: z.int(),
    active: z.boolean(),
    paused: z.boolean(),
    condition: z.string().optional(),
    columns: z.array(z.string()).optional(),
    orderingKey: z.string().optional(),
    transform: z.string().optional(),
    rateLimit: z.number().optional(),
    maxInFlight: z.int().optional(),
    ...health,
  })
  .meta({ id: "Trigger" });

/** collectionAnswer is a collection with its triggers' health. */
export const collectionAnswer = z
  .object({
    id: z.string(),
    name: z.string(),
    type: z.literal("base"),
    schema: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        type: z.enum(FIELD_TYPES),
        required: z.boolean(),
        options: z.record(z.string(), z.unknown()),
      }),
    ),
    options: z.looseObject({ triggers: z.array(triggerAnswer) }),
    created: when,
    updated: when,
  })
  .partial()
  .meta({ id: "Collection" });

/** webhookAnswer is a standalone webhook with its health. */
export const webhookAnswer = z
  .object({
    id: z.string(),
    name: z.string(),
    url: z.string(),
    ...requestSettings,
    events: maybe(z.array(z.string())).describe("hookd's operational events this webhook receives; null: none"),
    ...health,
    created: when,
    updated: when,
  })
  .meta({ id: "Webhook" });

/** cronJobAnswer is a cron job with its health and next run. */
export const cronJobAnswer = z
  .object({
    id: z.string(),
    name: z.string(),
    schedule: z.string(),
    timezone: z.string(),
    type: z.enum(["sql", "http"]),
    sql: maybe(z.string()),
    database: z.literal("default"),
    url: maybe(z.string()),
    ...requestSettings,
    ...health,
    created: when,
    updated: when,
    nextRunAt: maybe(when),
  })
  .meta({ id: "CronJob" });

/** cronRunAnswer is one run of a cron job. */
export const cronRunAnswer = z
  .object({
    id: z.string(),
    job: z.string(),
    kind: z.enum(["schedule", "manual"]),
    scheduledAt: when,
    startedAt: when,
    finishedAt: maybe(when),
    durationMs: maybe(z.int()),
    status: z.enum(["running", "success", "failed", "skipped"]),
    rowsChanged: maybe(z.int()),
    error: maybe(z.string()),
    deliveryId: maybe(z.string()),
    instance: z.string(),
  })
  .meta({ id: "CronRun" });

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
