// Invoking a standalone webhook: one delivery on the shared engine, logged with source "webhook".
import type { Deps } from "../deps";
import { enqueueDelivery, toDeliveryRequest } from "../deliveries/enqueue";
import { ConflictError, fieldError } from "../errors";
import { deeperThan, MAX_JSON_DEPTH, TOO_DEEP_MESSAGE } from "../lib/json_depth";
import { storableTextProblem } from "../lib/text_rules";
import { encodeBody, isJsonType } from "../targets/request_body";
import { webhookTarget } from "../targets/target_key";
import type { Webhook } from "./webhook_input";
import { getWebhook } from "./webhook_store";

/** TriggeredDelivery points at the delivery a trigger queued; its progress is in the webhook logs. */
export interface TriggeredDelivery {
  deliveryId: string;
  webhook: string;
  status: "pending" | "held";
  logUrl: string;
}

/** triggerWebhook queues one delivery of the named webhook; a payload, when given, replaces the stored body. */
export async function triggerWebhook(
  deps: Pick<Deps, "db" | "clock" | "signals">,
  name: string,
  payload?: unknown,
): Promise<TriggeredDelivery> {
  const webhook = await getWebhook(deps, name);
  if (!webhook.active) throw new ConflictError(`webhook "${name}" is inactive; set active to true to trigger it`);
  const delivery = toDeliveryRequest(
    { source: "webhook", webhook: webhook.name, target: webhookTarget(webhook.id) },
    webhook.url,
    webhook,
    triggerBody(webhook, payload),
  );
  const deliveryId = await enqueueDelivery(deps, delivery);
  return {
    deliveryId,
    webhook: webhook.name,
    status: webhook.paused || webhook.disabledAt ? "held" : "pending",
    logUrl: `/api/webhooks/logs/${deliveryId}`,
  };
}

function triggerBody(webhook: Webhook, payload: unknown): string | null {
  if (payload === undefined || payload === null) return webhook.body;
  if (deeperThan(payload, MAX_JSON_DEPTH)) throw fieldError("payload", "too_deep", TOO_DEEP_MESSAGE);
  const body = encodedPayload(webhook, payload);
  // The body is stored as text before it is sent, and SQLite must read it back exactly.
  const problem = storableTextProblem(body);
  if (problem) throw fieldError("payload", "not_storable", `${problem} outside a JSON string`);
  return body;
}

function encodedPayload(webhook: Webhook, payload: unknown): string {
  // A payload arrives as parsed JSON, so for a JSON webhook even a bare string is re-encoded as JSON.
  if (isJsonType(webhook.contentType)) return JSON.stringify(payload);
  return encodeBody(payload, webhook.contentType)!;
}
