// GraphQL: the Trigger type and its input, used by the Collection type (collections.ts) and by
// the one-trigger queries and mutations (triggers.ts).
import type { TriggerView } from "../collections/collection_health";
import { headersShownTo } from "../auth/header_masking";
import { builder } from "./builder";
import { HttpMethod, RecordAction } from "./enums";
import { healthOutputFields } from "./health_fields";
import { controlInputFields, controlOutputFields } from "./request_settings_fields";

/** TriggerRef is a collection's trigger with its health; header values masked unless the caller holds secrets:read. */
export const TriggerRef = builder.objectRef<TriggerView>("Trigger").implement({
  fields: (t) => ({
    id: t.exposeID("id", { description: "Stable identity: a kept id keeps the secret, health and queued deliveries" }),
    action: t.expose("action", { type: RecordAction }),
    url: t.exposeString("url"),
    method: t.expose("method", { type: HttpMethod }),
    headers: t.field({
      type: "JSON",
      description: "Values are masked unless the caller holds secrets:read",
      resolve: (tr, _a, ctx) => headersShownTo(ctx.atRest, ctx.access, tr.headers),
    }),
    retryLimit: t.int({
      nullable: true,
      description: "Attempts in all; null: as many as the retry schedule lists, plus the first",
      resolve: (tr) => tr.retryLimit ?? null,
    }),
    retrySchedule: t.stringList({
      nullable: true,
      description: "Wait before each retry (5s, 5m, 2h…); null: the server's HOOKD_RETRY_SCHEDULE",
      resolve: (tr) => tr.retrySchedule ?? null,
    }),
    jwtEnabled: t.exposeBoolean("jwtEnabled"),
    timeoutMs: t.exposeInt("timeoutMs"),
    active: t.exposeBoolean("active"),
    ...healthOutputFields(t),
    condition: t.string({
      nullable: true,
      description: "Fires only for writes that match (grammar in docs/delivery.md)",
      resolve: (tr) => tr.condition ?? null,
    }),
    columns: t.stringList({
      nullable: true,
      description: "Update triggers: fires only when one of these fields changed",
      resolve: (tr) => tr.columns ?? null,
    }),
    orderingKey: t.string({
      nullable: true,
      description: "Deliveries with the same value of this field (or id) go one at a time, in commit order",
      resolve: (tr) => tr.orderingKey ?? null,
    }),
    ...controlOutputFields(t),
  }),
});

/** TriggerInput is one trigger of a collection's trigger list, as a create or update sends it. */
export const TriggerInput = builder.inputType("TriggerInput", {
  fields: (t) => ({
    id: t.string({
      description:
        "1-64 of A-Za-z0-9_-; generated when absent (or taken over from the stored trigger with the same action and url)",
    }),
    action: t.field({ type: RecordAction, required: true }),
    url: t.string({ required: true }),
    method: t.field({ type: HttpMethod }),
    headers: t.field({ type: "JSON" }),
    retryLimit: t.int(),
    retrySchedule: t.stringList({ description: 'Wait before each retry, e.g. ["5s", "5m", "30m"]' }),
    jwtEnabled: t.boolean(),
    timeoutMs: t.int(),
    active: t.boolean(),
    paused: t.boolean({ description: "Absent keeps the stored value; false also enables a disabled trigger" }),
    secret: t.string({ description: "A whsec_ signing secret; generated when absent" }),
    condition: t.string(),
    columns: t.stringList(),
    orderingKey: t.string(),
    ...controlInputFields(t),
  }),
});
