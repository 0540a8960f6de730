// GraphQL: standalone webhooks with their queries and mutations.
import { refuseEventsUnlessLogsRead } from "../auth/access";
import { parseWebhookInput, type Webhook } from "../webhooks/webhook_input";
import { enablesTarget } from "../targets/request_settings";
import {
  createWebhook,
  deleteWebhook,
  enableWebhook,
  getWebhook,
  listWebhooks,
  updateWebhook,
} from "../webhooks/webhook_store";
import { triggerWebhook, type TriggeredDelivery } from "../webhooks/webhook_trigger";
import { builder } from "./builder";
import { IDEMPOTENCY_KEY_DESCRIPTION, onceForKey } from "./idempotent_field";
import { DeliveryStatus } from "./enums";
import { healthOutputFields } from "./health_fields";
import { requestSettingsInputFields, requestSettingsOutputFields } from "./request_settings_fields";
import { withoutNulls } from "./without_nulls";

const WebhookRef = builder.objectRef<Webhook>("Webhook").implement({
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name"),
    url: t.exposeString("url"),
    events: t.stringList({
      nullable: true,
      description: "Operational events this webhook receives (target.failing, target.disabled, …); null: none",
      resolve: (w) => w.events,
    }),
    ...requestSettingsOutputFields(t),
    ...healthOutputFields(t),
    created: t.exposeString("created"),
    updated: t.exposeString("updated"),
  }),
});

const TriggeredDeliveryRef = builder.objectRef<TriggeredDelivery>("TriggeredDelivery").implement({
  description: "The delivery a trigger queued; follow it with webhookLog(id: deliveryId).",
  fields: (t) => ({
    deliveryId: t.exposeID("deliveryId"),
    webhook: t.exposeString("webhook"),
    status: t.expose("status", { type: DeliveryStatus }),
    logUrl: t.exposeString("logUrl"),
  }),
});

const WebhookInput = builder.inputType("WebhookInput", {
  description: "On update, fields left out keep their stored values.",
  fields: (t) => ({
    name: t.string(),
    url: t.string(),
    events: t.stringList({
      description:
        "Subscribe to operational events: target.failing, target.disabled, target.enabled, delivery.exhausted, backlog.stale, cron.failed",
    }),
    ...requestSettingsInputFields(t),
  }),
});

builder.queryFields((t) => ({
  webhooks: t.field({
    authScopes: { scope: "webhooks:read" },
    type: [WebhookRef],
    resolve: (_r, _a, deps) => listWebhooks(deps, deps.answer),
  }),
  webhook: t.field({
    authScopes: { scope: "webhooks:read" },
    type: WebhookRef,
    args: { name: t.arg.string({ required: true }) },
    resolve: (_r, { name }, deps) => getWebhook(deps, name),
  }),
}));

builder.mutationFields((t) => ({
  createWebhook: t.field({
    authScopes: { scope: "webhooks:write" },
    type: WebhookRef,
    args: { input: t.arg({ type: WebhookInput, required: true }) },
    resolve: (_r, { input }, deps) => {
      const parsed = parseWebhookInput(withoutNulls(input));
      refuseEventsUnlessLogsRead(deps.access, parsed);
      return createWebhook(deps, parsed);
    },
  }),
  updateWebhook: t.field({
    authScopes: { scope: "webhooks:write" },
    type: WebhookRef,
    args: { name: t.arg.string({ required: true }), input: t.arg({ type: WebhookInput, required: true }) },
    resolve: async (_r, { name, input }, deps) => {
      const before = await getWebhook(deps, name);
      const body = withoutNulls(input);
      const parsed = parseWebhookInput(body, before);
      refuseEventsUnlessLogsRead(deps.access, before, parsed);
      return updateWebhook(deps, before, parsed, enablesTarget(body));
    },
  }),
  enableWebhook: t.field({
    authScopes: { scope: "webhooks:write" },
    type: WebhookRef,
    description: "Un-pause a webhook, clear its disabled state and release its held deliveries in order.",
    args: { name: t.arg.string({ required: true }) },
    resolve: (_r, { name }, deps) => enableWebhook(deps, name),
  }),
  deleteWebhook: t.field({
    authScopes: { scope: "webhooks:write" },
    type: WebhookRef,
    args: { name: t.arg.string({ required: true }) },
    resolve: (_r, { name }, deps) => deleteWebhook(deps, name),
  }),
  triggerWebhook: t.field({
    authScopes: (_r, args) => ({ scope: `webhooks:trigger:${args.name}` }),
    type: TriggeredDeliveryRef,
    args: {
      name: t.arg.string({ required: true }),
      payload: t.arg({ type: "JSON", description: "Replaces the stored body for this delivery" }),
      idempotencyKey: t.arg.string({ description: IDEMPOTENCY_KEY_DESCRIPTION }),
    },
    resolve: (_r, { name, payload, idempotencyKey }, deps) =>
      onceForKey(deps, idempotencyKey, "triggerWebhook", { name, payload }, () =>
        triggerWebhook(deps, name, payload ?? undefined),
      ),
  }),
}));
