// GraphQL: the WebhookLog type (the log entry of docs/api.md, in camelCase) with its queries and the retry mutation.
import { listAttempts, type Attempt } from "../deliveries/attempt_store";
import { cancelLog, getLog, listLogs, resendLog, retryLog, type LogEntry } from "../deliveries/log_store";
import { parseLogFilter } from "../deliveries/log_filter";
import { parsePageRequest } from "../lib/page";
import { builder } from "./builder";
import { DeliverySource, DeliveryStatus, HttpMethod, RecordAction } from "./enums";
import { pageType } from "./page_type";
import { withoutNulls } from "./without_nulls";

const AttemptRef = builder.objectRef<Attempt>("WebhookAttempt").implement({
  description: "One HTTP attempt of a delivery.",
  fields: (t) => ({
    n: t.exposeInt("n", { description: "1 for the first attempt; manual retries keep counting" }),
    at: t.exposeString("at"),
    url: t.exposeString("url", { description: "The URL this attempt used (the target's URL at the time)" }),
    httpStatus: t.exposeInt("httpStatus", { nullable: true }),
    durationMs: t.exposeInt("durationMs", { nullable: true }),
    errorMsg: t.exposeString("errorMsg", { nullable: true }),
    responseBody: t.exposeString("responseBody", { nullable: true, description: "First 4 KiB of the response" }),
  }),
});

const ATTEMPTS_SHOWN = 500;

/** WebhookLogRef is the WebhookLog object type. */
export const WebhookLogRef = builder.objectRef<LogEntry>("WebhookLog").implement({
  description: "One delivery: what was sent, where, and what happened on its latest attempt.",
  fields: (t) => ({
    id: t.exposeID("id", { description: "Delivery id; also the webhook-id header of every attempt" }),
    source: t.expose("source", { type: DeliverySource }),
    collection: t.exposeString("collection", { nullable: true }),
    action: t.expose("action", { type: RecordAction, nullable: true }),
    recordId: t.exposeString("record_id", { nullable: true }),
    webhook: t.exposeString("webhook", { nullable: true }),
    cronJob: t.exposeString("cron_job", { nullable: true }),
    triggerId: t.exposeString("trigger_id", {
      nullable: true,
      description: "The id of the collection trigger that fired it",
    }),
    url: t.exposeString("url"),
    method: t.expose("method", { type: HttpMethod }),
    payload: t.exposeString("payload", {
      nullable: true,
      description: "The request body exactly as sent (a JSON string for triggers)",
    }),
    status: t.expose("status", { type: DeliveryStatus }),
    httpStatus: t.exposeInt("http_status", { nullable: true }),
    errorMsg: t.exposeString("error_msg", { nullable: true }),
    responseBody: t.exposeString("response_body", {
      nullable: true,
      description: "First 4 KiB of the latest response",
    }),
    tries: t.exposeInt("tries"),
    retryLimit: t.int({
      nullable: true,
      description: "The delivery's cap on attempts; null when its retry schedule decides",
      resolve: (l) => l.retry_limit,
    }),
    nextAttemptAt: t.exposeString("next_attempt_at", {
      nullable: true,
      description: "When the next attempt is due; null once the delivery is finished",
    }),
    durationMs: t.exposeInt("duration_ms", { nullable: true }),
    attempts: t.field({
      type: [AttemptRef],
      description: `Every attempt, oldest first (the first ${ATTEMPTS_SHOWN}; REST pages through all of them)`,
      resolve: async (log, _a, deps) =>
        (await listAttempts(deps, log.id, { page: 1, perPage: ATTEMPTS_SHOWN }, deps.answer)).items,
    }),
    createdAt: t.exposeString("created_at"),
    updatedAt: t.exposeString("updated_at"),
  }),
});

const WebhookLogPage = pageType("WebhookLogPage", WebhookLogRef);

/** WebhookLogFilter is the GraphQL side of the log filters of docs/operating.md (same names as the REST parameters). */
export const WebhookLogFilter = builder.inputType("WebhookLogFilter", {
  description:
    "Narrows the delivery log; absent fields do not filter. since/until are ISO-8601, on createdAt, both inclusive.",
  fields: (t) => ({
    source: t.field({ type: DeliverySource }),
    collection: t.string(),
    trigger: t.string({ description: "A collection trigger's id" }),
    webhook: t.string(),
    cronJob: t.string(),
    recordId: t.string(),
    status: t.field({ type: DeliveryStatus }),
    httpStatus: t.int(),
    ids: t.idList({ description: "These deliveries only (at most 1,000)" }),
    since: t.string(),
    until: t.string(),
  }),
});

builder.queryFields((t) => ({
  webhookLogs: t.field({
    authScopes: { scope: "logs:read" },
    type: WebhookLogPage,
    description:
      "Deliveries, newest first. `collection` and `status` are kept from before `filter`; a field set in `filter` wins.",
    args: {
      filter: t.arg({ type: WebhookLogFilter }),
      collection: t.arg.string(),
      status: t.arg({ type: DeliveryStatus }),
      page: t.arg.int(),
      perPage: t.arg.int(),
    },
    resolve: (_r, args, deps) =>
      listLogs(
        deps,
        parseLogFilter(
          { collection: args.collection, status: args.status, ...withoutNulls(args.filter ?? {}) },
          { now: deps.clock.now() },
        ),
        parsePageRequest(args.page, args.perPage),
        deps.answer,
      ),
  }),
  webhookLog: t.field({
    authScopes: { scope: "logs:read" },
    type: WebhookLogRef,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, { id }, deps) => getLog(deps, String(id)),
  }),
}));

builder.mutationField("retryWebhookLog", (t) =>
  t.field({
    authScopes: { scope: "logs:write" },
    type: WebhookLogRef,
    description: "Re-queue a failed or cancelled delivery with a fresh attempt budget and the same webhook-id.",
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, { id }, deps) => retryLog(deps, String(id)),
  }),
);

builder.mutationField("resendWebhookLog", (t) =>
  t.field({
    authScopes: { scope: "logs:write" },
    type: WebhookLogRef,
    description:
      "Send a finished delivery (a success included) again: a new attempt series with the same webhook-id; the earlier attempts stay in its history.",
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, { id }, deps) => resendLog(deps, String(id)),
  }),
);

builder.mutationField("cancelWebhookLog", (t) =>
  t.field({
    authScopes: { scope: "logs:write" },
    type: WebhookLogRef,
    description: "Cancel one pending or held delivery; it is never sent.",
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, { id }, deps) => cancelLog(deps, String(id)),
  }),
);
