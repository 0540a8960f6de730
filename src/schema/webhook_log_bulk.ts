// GraphQL: bulk retry and cancel of the deliveries a filter matches (docs/operating.md).
import { cancelLogs, parseBulkFilter, retryLogs } from "../deliveries/log_bulk";
import { builder } from "./builder";
import { WebhookLogFilter } from "./webhook_logs";
import { withoutNulls } from "./without_nulls";

const BulkResult = builder.objectRef<{ count: number }>("BulkLogResult").implement({
  description: "How many deliveries a bulk action changed.",
  fields: (t) => ({ count: t.exposeInt("count") }),
});

builder.mutationFields((t) => ({
  retryWebhookLogs: t.field({
    authScopes: { scope: "logs:write" },
    type: BulkResult,
    description:
      "Re-queue the failed and cancelled deliveries the filter matches, each with a fresh attempt budget and the same webhook-id. The filter must not be empty.",
    args: { filter: t.arg({ type: WebhookLogFilter, required: true }) },
    resolve: async (_r, { filter }, deps) => ({
      count: await retryLogs(deps, parseBulkFilter(withoutNulls(filter), deps.clock.now())),
    }),
  }),
  cancelWebhookLogs: t.field({
    authScopes: { scope: "logs:write" },
    type: BulkResult,
    description:
      "Cancel the pending and held deliveries the filter matches; they are never sent. Deliveries being sent at that moment (processing) are left alone. The filter must not be empty.",
    args: { filter: t.arg({ type: WebhookLogFilter, required: true }) },
    resolve: async (_r, { filter }, deps) => ({
      count: await cancelLogs(deps, parseBulkFilter(withoutNulls(filter), deps.clock.now())),
    }),
  }),
}));
