// The shapes of collections, triggers, standalone webhooks and cron jobs in REST answers: the
// definitions as stored, with their health (docs/delivery.md, pause and health), for the OpenAPI document (openapi.ts).
import { z } from "zod";
import { FIELD_TYPES, TRIGGER_ACTIONS } from "../collections/collection_types";
import { HTTP_METHODS } from "../targets/target_input";
import { maybe, when } from "./answers";

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
