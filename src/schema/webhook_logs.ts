// GraphQL: the WebhookLog type (SPEC §6 in camelCase) with its queries and the retry mutation.
import { getLog, listLogs, parseLogFilter, retryLog, type LogEntry } from "../dispatch/log_store";
import { parsePageRequest } from "../lib/page";
import { builder } from "./builder";
import { pageType } from "./page_type";

const WebhookLogRef = builder.objectRef<LogEntry>("WebhookLog").implement({
  description: "One delivery: what was sent, where, and what happened on its latest attempt.",
  fields: (t) => ({
    id: t.exposeID("id", { description: "Delivery id; also the webhook-id header of every attempt" }),
    source: t.exposeString("source", { description: "trigger | webhook | cron" }),
    collection: t.exposeString("collection", { nullable: true }),
    action: t.exposeString("action", { nullable: true }),
    recordId: t.exposeString("record_id", { nullable: true }),
    webhook: t.exposeString("webhook", { nullable: true }),
    cronJob: t.exposeString("cron_job", { nullable: true }),
    url: t.exposeString("url"),
    method: t.exposeString("method"),
    payload: t.exposeString("payload", { nullable: true, description: "The request body exactly as sent (a JSON string for triggers)" }),
    status: t.exposeString("status", { description: "pending | processing | success | failed" }),
    httpStatus: t.exposeInt("http_status", { nullable: true }),
    errorMsg: t.exposeString("error_msg", { nullable: true }),
    responseBody: t.exposeString("response_body", { nullable: true, description: "First 4 KiB of the latest response" }),
    tries: t.exposeInt("tries"),
    retryLimit: t.exposeInt("retry_limit"),
    nextAttemptAt: t.exposeString("next_attempt_at"),
    durationMs: t.exposeInt("duration_ms", { nullable: true }),
    createdAt: t.exposeString("created_at"),
    updatedAt: t.exposeString("updated_at"),
  }),
});

const WebhookLogPage = pageType("WebhookLogPage", WebhookLogRef);

builder.queryFields((t) => ({
  webhookLogs: t.field({
    type: WebhookLogPage,
    description: "Deliveries, newest first, optionally filtered by collection and status.",
    args: { collection: t.arg.string(), status: t.arg.string(), page: t.arg.int(), perPage: t.arg.int() },
    resolve: (_r, args, deps) => listLogs(deps, parseLogFilter(args.collection, args.status), parsePageRequest(args.page, args.perPage)),
  }),
  webhookLog: t.field({ type: WebhookLogRef, args: { id: t.arg.id({ required: true }) }, resolve: (_r, { id }, deps) => getLog(deps, String(id)) }),
}));

builder.mutationField("retryWebhookLog", (t) =>
  t.field({
    type: WebhookLogRef,
    description: "Re-queue a failed delivery with a fresh attempt budget and the same webhook-id.",
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, { id }, deps) => retryLog(deps, String(id)),
  }),
);
