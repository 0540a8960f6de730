// REST: the delivery log at /api/webhooks/logs (VSKI-compatible). Registered before the
// standalone webhook routes so that /api/webhooks/:name does not take "logs" for a name.
import { z } from "zod";
import type { Deps } from "../deps";
import { listAttempts } from "../deliveries/attempt_store";
import { cancelLogs, parseBulkFilter, retryLogs } from "../deliveries/log_bulk";
import { LOG_SOURCES, LOG_STATUSES, parseLogFilter } from "../deliveries/log_filter";
import { cancelLog, getLog, listLogs, resendLog, retryLog } from "../deliveries/log_store";
import { PAGE_QUERY, parsePageRequest } from "../lib/page";
import { AnswerBudget } from "../lib/answer_budget";
import { problemsOf } from "./query_params";
import { attemptAnswer, countAnswer, logAnswer, pageOf } from "./answers";
import { json, readJson, requireObject } from "./respond";
import type { RouteAccess } from "./api_router";
import type { ApiRouter, RouteSpec } from "./route_spec";

const TIME = "An ISO-8601 date or date-time, now, or a time before now: -30s, -15m, -1h, -7d, -2w";
const HTTP_STATUS = "must be a whole number from 100 to 599";
const oneOf = (values: readonly [string, ...string[]]) =>
  z.enum(values, { error: `must be one of ${values.join(", ")}` }).optional();

/** logListQuery are the log filters (docs/operating.md) and the page; the same names as GraphQL's WebhookLogFilter. */
const logListQuery = z.object({
  ...PAGE_QUERY,
  source: oneOf(LOG_SOURCES),
  status: oneOf(LOG_STATUSES),
  collection: z.string().optional(),
  trigger: z.string().optional().describe("A collection trigger's id"),
  webhook: z.string().optional(),
  cronJob: z.string().optional(),
  recordId: z.string().optional(),
  httpStatus: z.coerce.number().int(HTTP_STATUS).min(100, HTTP_STATUS).max(599, HTTP_STATUS).optional(),
  since: z.string().optional().describe(`Created at or after: ${TIME}`),
  until: z.string().optional().describe(`Created at or before: ${TIME}`),
  ids: z.string().optional().describe("Delivery ids, comma-separated"),
});

// A bulk body's filter: the listing's filters, at least one given, unknown keys refused (parseBulkFilter).
const BULK: Partial<RouteSpec> = {
  body: z.object({ filter: logListQuery.omit({ page: true, perPage: true }).strict() }),
  answer: countAnswer,
};

const spec = (summary: string, access: RouteAccess, more: Partial<RouteSpec> = {}): RouteSpec => ({
  summary,
  tag: "logs",
  access,
  ...more,
});

/** addLogRoutes registers the webhook log endpoints. */
export function addLogRoutes(router: ApiRouter, deps: Deps): void {
  const filterOf = (query: Record<string, unknown>) => parseLogFilter(query, { now: deps.clock.now() });
  const answerBudget = () => new AnswerBudget(deps.config.maxAnswerBytes);
  router
    .on(
      "GET",
      "/api/webhooks/logs",
      spec("List deliveries, newest first", "logs:read", {
        answer: pageOf(logAnswer),
        query: logListQuery,
        checkQuery: ({ query }) => problemsOf(() => filterOf(query)),
      }),
      async ({ query }) =>
        json(await listLogs(deps, filterOf(query), parsePageRequest(query.page, query.perPage), answerBudget())),
    )
    .on(
      "POST",
      "/api/webhooks/logs/retry",
      spec("Retry every failed or cancelled delivery a filter matches", "logs:write", BULK),
      async ({ req }) =>
        json({
          count: await retryLogs(deps, parseBulkFilter(requireObject(await readJson(req)).filter, deps.clock.now())),
        }),
    )
    .on(
      "POST",
      "/api/webhooks/logs/cancel",
      spec("Cancel every pending or held delivery a filter matches", "logs:write", BULK),
      async ({ req }) =>
        json({
          count: await cancelLogs(deps, parseBulkFilter(requireObject(await readJson(req)).filter, deps.clock.now())),
        }),
    )
    .on(
      "GET",
      "/api/webhooks/logs/:id",
      spec("Read a delivery", "logs:read", { answer: logAnswer }),
      async ({ params }) => json(await getLog(deps, params.id!)),
    )
    .on(
      "GET",
      "/api/webhooks/logs/:id/attempts",
      spec("List a delivery's attempts, oldest first", "logs:read", {
        query: z.object(PAGE_QUERY),
        answer: pageOf(attemptAnswer),
      }),
      async ({ params, query }) =>
        json(await listAttempts(deps, params.id!, parsePageRequest(query.page, query.perPage), answerBudget())),
    )
    .on(
      "POST",
      "/api/webhooks/logs/:id/retry",
      spec("Retry a failed or cancelled delivery", "logs:write", { answer: logAnswer }),
      async ({ params }) => json(await retryLog(deps, params.id!)),
    )
    .on(
      "POST",
      "/api/webhooks/logs/:id/resend",
      spec("Send a finished delivery again (a success included) with the same webhook-id", "logs:write", {
        answer: logAnswer,
      }),
      async ({ params }) => json(await resendLog(deps, params.id!)),
    )
    .on(
      "POST",
      "/api/webhooks/logs/:id/cancel",
      spec("Cancel a pending or held delivery", "logs:write", { answer: logAnswer }),
      async ({ params }) => json(await cancelLog(deps, params.id!)),
    );
}
