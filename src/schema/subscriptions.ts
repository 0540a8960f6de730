// GraphQL subscriptions, served by graphql-yoga as Server-Sent Events (GraphQL over SSE):
// delivery rows as they change, from every instance on the database, and record writes. Each
// counts against HOOKD_MAX_SUBSCRIPTIONS until it ends (src/live/subscription_limit.ts).
import { GraphQLError } from "graphql";
import { TooManySubscriptionsError } from "../errors";
import { parseLogFilter } from "../deliveries/log_filter";
import type { LogEntry } from "../deliveries/log_store";
import type { RecordChange } from "../live/record_feed";
import { builder, type GraphQLContext } from "./builder";
import { RecordAction } from "./enums";
import { WebhookLogFilter, WebhookLogRef } from "./webhook_logs";
import { withoutNulls } from "./without_nulls";

const RecordChangeRef = builder.objectRef<RecordChange>("RecordChange").implement({
  description: "One write to a record: on create oldRecord is null; on delete record is the deleted row.",
  fields: (t) => ({
    action: t.expose("action", { type: RecordAction }),
    collection: t.exposeString("collection"),
    record: t.field({ type: "JSON", resolve: (c) => c.record }),
    oldRecord: t.field({ type: "JSON", nullable: true, resolve: (c) => c.oldRecord }),
  }),
});

builder.subscriptionFields((t) => ({
  webhookLogUpdated: t.field({
    authScopes: { scope: "logs:read" },
    type: WebhookLogRef,
    description:
      "The delivery row each time a delivery matching the filter is created or changes state, on any instance sharing the database (others' changes within HOOKD_POLL_MS).",
    args: { filter: t.arg({ type: WebhookLogFilter }) },
    subscribe: (_r, { filter }, deps) =>
      admitted(deps, () =>
        deps.live.logs.subscribe(parseLogFilter(withoutNulls(filter ?? {}), { now: deps.clock.now() })),
      ),
    resolve: (entry: LogEntry) => entry,
  }),
  recordChanged: t.field({
    authScopes: (_r, args) => ({ scope: `records:read:${args.collection}` }),
    type: RecordChangeRef,
    description: "Each create, update and delete made through this instance's record API in the collection.",
    args: { collection: t.arg.string({ required: true }) },
    subscribe: (_r, { collection }, deps) => admitted(deps, () => deps.live.records.subscribe(collection)),
    resolve: (change: RecordChange) => change,
  }),
}));

// A refusal carries extensions.http.status, which yoga answers as the response's status (an
// event stream included): a 503 the client can see before reading, not a 200 stream with an error.
function admitted<T>(deps: GraphQLContext, open: () => AsyncIterableIterator<T>): AsyncIterableIterator<T> {
  try {
    return deps.live.limit.admit(deps.access.actor, open);
  } catch (err) {
    if (!(err instanceof TooManySubscriptionsError)) throw err;
    throw new GraphQLError(err.message, {
      extensions: { code: err.code, status: err.status, data: err.data, http: { status: err.status } },
    });
  }
}
